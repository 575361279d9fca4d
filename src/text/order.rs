//! The words of buying: the cart, checkout (its form, the messages of
//! [`checkout::validate`](crate::checkout::validate) and the countries' names), the
//! order's confirmation, the account page and its orders, and signing in.

crate::words! {
    // The cart.
    cart_title: "Giỏ hàng của bạn", "Your cart";
    cart_empty_body: "Giỏ hàng của bạn đang trống.", "Your cart is empty.";
    cart_over_stock: "Một số món trong giỏ nhiều hơn số lượng còn trong kho. Hãy giảm số lượng trước khi thanh toán.", "Some pieces have less stock than your cart holds. Lower their quantity before checking out.";
    /// A piece's price: `{price}` is the amount as the page writes it.
    unit_price: "{price} / chiếc", "{price} each";
    quantity_of: "Số lượng {name}", "Quantity of {name}";
    update: "Cập nhật", "Update";
    remove: "Xóa", "Remove";
    remove_from_cart: "Xóa {name} khỏi giỏ hàng", "Remove {name} from cart";
    subtotal: "Tạm tính", "Subtotal";
    shipping: "Phí giao hàng", "Shipping";
    shipping_free: "Miễn phí", "Free";
    total: "Tổng cộng", "Total";
    continue_shopping: "Tiếp tục mua sắm", "Continue shopping";
    checkout: "Thanh toán", "Checkout";

    // Checkout.
    checkout_empty: "Giỏ hàng của bạn đang trống nên chưa có gì để thanh toán.", "Your cart is empty, so there is nothing to check out yet.";
    correct_one: "Vui lòng sửa 1 mục trong biểu mẫu bên dưới.", "Please correct one field in the form below.";
    correct_many: "Vui lòng sửa {n} mục trong biểu mẫu bên dưới.", "Please correct {n} fields in the form below.";
    contact: "Thông tin liên hệ", "Contact";
    email: "Email", "Email";
    phone: "Số điện thoại", "Phone";
    shipping_address: "Địa chỉ giao hàng", "Shipping address";
    full_name: "Họ và tên", "Full name";
    country: "Quốc gia", "Country";
    vn_region: "Tỉnh/Thành phố", "Province or city";
    vn_ward: "Phường/Xã", "Ward or commune";
    vn_street: "Số nhà, tên đường", "Street and house number";
    vn_line2: "Tòa nhà, tầng, v.v. (không bắt buộc)", "Building, floor, etc. (optional)";
    postal_code_optional: "Mã bưu chính (không bắt buộc)", "Postal code (optional)";
    street: "Địa chỉ", "Street address";
    line2: "Căn hộ, phòng, v.v. (không bắt buộc)", "Apartment, suite, etc. (optional)";
    town: "Thành phố/Thị trấn", "Town or city";
    region_optional: "Bang/Vùng (không bắt buộc)", "State or region (optional)";
    postal_code: "Mã bưu chính", "Postal code";
    payment: "Phương thức thanh toán", "Payment";
    cash_on_delivery_detail: "Thanh toán khi nhận hàng: trả tiền mặt cho nhân viên giao hàng khi nhận đơn", "Cash on delivery: pay the courier when your order arrives";
    placing_order: "Đang đặt hàng…", "Placing your order…";
    /// The order button: `{total}` is the amount to pay.
    place_order: "Đặt hàng · {total}", "Place order · {total}";
    summary_one: "Tóm tắt đơn hàng (1 sản phẩm)", "Order summary (1 item)";
    summary_many: "Tóm tắt đơn hàng ({n} sản phẩm)", "Order summary ({n} items)";

    // What `checkout::validate` says of a field.
    field_email_missing: "Vui lòng nhập địa chỉ email.", "Enter your email address.";
    field_email_invalid: "Vui lòng nhập địa chỉ email hợp lệ, ví dụ ten@example.com.", "Enter an email address like name@example.com.";
    field_name_missing: "Vui lòng nhập họ và tên.", "Enter your full name.";
    field_name_length: "Họ và tên phải dài từ 2 đến 100 ký tự.", "Your name must be 2 to 100 characters.";
    field_country: "Vui lòng chọn một quốc gia mà chúng tôi có giao hàng.", "Choose a country we ship to.";
    field_phone_missing: "Vui lòng nhập số điện thoại để nhân viên giao hàng liên hệ với bạn.", "Enter a phone number so the courier can reach you.";
    field_phone_vn: "Vui lòng nhập số điện thoại dạng 090 123 4567 hoặc +84 90 123 4567.", "Enter a phone number like 090 123 4567 or +84 90 123 4567.";
    field_phone_digits: "Vui lòng nhập số điện thoại gồm 7 đến 15 chữ số.", "Enter a phone number of 7 to 15 digits.";
    field_vn_street_missing: "Vui lòng nhập số nhà và tên đường.", "Enter the street and house number.";
    field_vn_street_length: "Số nhà và tên đường phải dài từ 3 đến 200 ký tự.", "The street and house number must be 3 to 200 characters.";
    field_street_missing: "Vui lòng nhập địa chỉ.", "Enter the street address.";
    field_street_length: "Địa chỉ phải dài từ 3 đến 200 ký tự.", "The street address must be 3 to 200 characters.";
    field_line2_length: "Dòng này chỉ được dài tối đa 200 ký tự.", "This line must be at most 200 characters.";
    field_vn_ward_missing: "Vui lòng nhập phường/xã.", "Enter the ward or commune.";
    field_vn_ward_length: "Phường/xã phải dài từ 2 đến 100 ký tự.", "The ward or commune must be 2 to 100 characters.";
    field_town_missing: "Vui lòng nhập thành phố/thị trấn.", "Enter the town or city.";
    field_town_length: "Thành phố/thị trấn phải dài từ 2 đến 100 ký tự.", "The town or city must be 2 to 100 characters.";
    field_vn_region_missing: "Vui lòng nhập tỉnh/thành phố.", "Enter the province or city.";
    field_vn_region_length: "Tỉnh/thành phố chỉ được dài tối đa 100 ký tự.", "The province or city must be at most 100 characters.";
    field_region_length: "Bang/vùng chỉ được dài tối đa 100 ký tự.", "The state or region must be at most 100 characters.";
    field_vn_postal_code: "Vui lòng nhập mã bưu chính gồm 5 chữ số, hoặc để trống.", "Enter the 5-digit postal code, or leave it empty.";
    field_postal_code_missing: "Vui lòng nhập mã bưu chính.", "Enter the postal code.";
    field_postal_code_invalid: "Vui lòng nhập mã bưu chính từ 3 đến 12 ký tự, gồm chữ cái, chữ số, dấu cách hoặc dấu gạch nối.", "Enter a postal code of 3 to 12 letters, digits, spaces or hyphens.";
    field_payment_method: "Chúng tôi chỉ nhận thanh toán khi nhận hàng.", "Cash on delivery is the only payment method we offer.";

    // What placing an order answers when the stock changed under the cart.
    stock_just_sold_out: "Rất tiếc, {name} vừa hết hàng. Hãy bỏ món này khỏi giỏ để tiếp tục.", "Sorry, {name} has just sold out. Remove it from your cart to continue.";
    stock_only_left: "{name} chỉ còn {n} chiếc. Hãy giảm số lượng trong giỏ để tiếp tục.", "Only {n} of {name} left. Lower the quantity in your cart to continue.";
    stock_sold_out_while_checking_out: "{name} đã hết hàng trong lúc bạn thanh toán. Giỏ hàng của bạn vẫn được giữ nguyên.", "{name} sold out while you were checking out. Your cart is unchanged.";

    // The countries the shop may ship to (`checkout::country_name`).
    country_us: "Hoa Kỳ", "United States";
    country_ca: "Canada", "Canada";
    country_gb: "Vương quốc Anh", "United Kingdom";
    country_ie: "Ireland", "Ireland";
    country_fr: "Pháp", "France";
    country_de: "Đức", "Germany";
    country_nl: "Hà Lan", "Netherlands";
    country_it: "Ý", "Italy";
    country_es: "Tây Ban Nha", "Spain";
    country_au: "Úc", "Australia";
    country_nz: "New Zealand", "New Zealand";
    country_jp: "Nhật Bản", "Japan";
    country_sg: "Singapore", "Singapore";
    country_vn: "Việt Nam", "Vietnam";

    // The order's confirmation.
    order_title: "Đã xác nhận đơn hàng {id}", "Order {id} confirmed";
    thank_you: "Cảm ơn bạn, {name}", "Thank you, {name}";
    /// The order page's heading while it is just placed; later, `order_heading`.
    order_received: "Chúng tôi đã nhận đơn hàng của bạn", "We have your order";
    order_heading: "Đơn hàng {id}", "Order {id}";
    /// Followed by the order's number.
    order_number: "Mã đơn hàng ", "Order number ";
    order_details_sent: "Chúng tôi đã gửi thông tin đơn hàng đến {email}. Vui lòng chuẩn bị sẵn {total} tiền mặt khi nhân viên giao hàng đến.", "We have sent the details to {email}. Please have {total} ready in cash when the courier arrives.";
    order_items: "Sản phẩm đã đặt", "Items";
    col_piece: "Sản phẩm", "Piece";
    col_quantity: "Số lượng", "Qty";
    col_price: "Thành tiền", "Price";
    delivery: "Thông tin giao hàng", "Delivery";
    cash_on_delivery: "Thanh toán khi nhận hàng", "Cash on delivery";
    /// The status of an order just placed (`order::status_label`).
    status_placed: "Đã đặt", "placed";
    status_confirmed: "Đã xác nhận", "confirmed";
    status_shipped: "Đang giao", "shipped";
    status_delivered: "Đã giao", "delivered";
    status_cancelled: "Đã hủy", "cancelled";
    status_returned: "Đã trả lại", "returned";
    // The emails an order sends (`{id}`: its number; `{name}`: the shopper's).
    email_placed_subject: "Lumen Jewelry đã nhận đơn hàng {id}", "Your Lumen Jewelry order {id}";
    email_confirmed_subject: "Lumen Jewelry đã xác nhận đơn hàng {id}", "Your order {id} is confirmed";
    email_shipped_subject: "Đơn hàng {id} đang được giao", "Your order {id} is on its way";
    email_delivered_subject: "Đơn hàng {id} đã được giao", "Your order {id} was delivered";
    email_cancelled_subject: "Đơn hàng {id} đã bị hủy", "Your order {id} was cancelled";
    email_greeting: "Xin chào {name},", "Hello {name},";
    email_placed_intro: "Cảm ơn bạn! Chúng tôi đã nhận đơn hàng {id} và sẽ sớm xác nhận.", "Thank you! We have your order {id} and will confirm it shortly.";
    email_confirmed_intro: "Chúng tôi đã xác nhận đơn hàng {id} và đang chuẩn bị gửi đi.", "We have confirmed your order {id} and are getting it ready to ship.";
    email_shipped_intro: "Đơn hàng {id} đã được gửi đi.", "Your order {id} has been shipped.";
    email_delivered_intro: "Đơn hàng {id} đã được giao. Cảm ơn bạn đã mua sắm tại Lumen Jewelry!", "Your order {id} was delivered. Thank you for shopping with Lumen Jewelry!";
    email_cancelled_intro: "Đơn hàng {id} đã bị hủy. Bạn không phải thanh toán gì.", "Your order {id} was cancelled. You pay nothing.";
    /// `{total}`: the order's total.
    email_pay_on_delivery: "Bạn sẽ thanh toán {total} khi nhận hàng.", "You pay {total} on delivery.";
    /// `{url}`: the order's page.
    email_view_order: "Xem đơn hàng của bạn: {url}", "See your order: {url}";
    email_view_order_button: "Xem đơn hàng", "See your order";
    email_footer: "Bạn nhận được email này vì đã đặt hàng tại Lumen Jewelry.", "You receive this email because you ordered from Lumen Jewelry.";

    /// The order page's status section.
    order_status: "Trạng thái đơn hàng", "Order status";
    /// `{status}` is the status's word.
    order_status_now: "Đơn hàng của bạn: {status}", "Your order is {status}";
    order_history: "Lịch sử đơn hàng", "Order history";
    /// `{carrier}` and `{tracking}`: the carrier and its tracking number.
    order_tracking: "Vận chuyển bởi {carrier}, mã vận đơn {tracking}", "Carried by {carrier}, tracking number {tracking}";

    // The account page and its orders (also the admin area's latest orders).
    account_title: "Tài khoản của bạn", "Your account";
    /// Followed by the shopper's name.
    signed_in_as: "Đã đăng nhập với tên ", "Signed in as ";
    your_orders: "Đơn hàng của bạn", "Your orders";
    your_data: "Dữ liệu của bạn", "Your data";
    your_data_text: "Tải về mọi thứ cửa hàng lưu về bạn (tài khoản, đơn hàng kèm thông tin giao hàng, các lựa chọn về quyền riêng tư) dưới dạng tệp JSON.", "Download everything the shop keeps about you (your account, your orders with their delivery details, your privacy choices) as a JSON file.";
    download_data: "Tải dữ liệu của tôi", "Download my data";
    delete_account: "Xóa tài khoản của tôi", "Delete my account";
    delete_account_text: "Tài khoản, giỏ hàng và các lựa chọn về quyền riêng tư của bạn sẽ bị xóa. Đơn hàng được giữ lại cho sổ sách kế toán, nhưng họ tên, email, số điện thoại và địa chỉ sẽ bị xóa. Không thể hoàn tác.", "Your account, cart and privacy choices are deleted. Orders are kept for the books, with your name, email, phone and address erased. This cannot be undone.";
    delete_confirm: "Tôi hiểu rằng tài khoản của tôi sẽ bị xóa vĩnh viễn", "I understand my account is deleted for good";
    no_orders: "Bạn chưa có đơn hàng nào.", "You have not ordered anything yet.";
    col_order: "Đơn hàng", "Order";
    col_placed: "Ngày đặt", "Placed";
    col_customer: "Khách hàng", "Customer";
    col_items: "Số sản phẩm", "Items";
    col_status: "Trạng thái", "Status";

    // Signing in (the development identity provider's form).
    signin_too_many: "Quá nhiều lần thử đăng nhập", "Too many sign-in attempts";
    signin_too_often: "Đăng nhập đã được thử quá nhiều lần. Vui lòng đợi {wait} rồi thử lại.", "Signing in has been tried too often. Please wait {wait} and try again.";
    signin_wait_one: "một phút", "a minute";
    signin_wait_many: "{n} phút", "{n} minutes";
    signin_back: "Quay lại đăng nhập", "Back to sign in";
    signin_invalid: "Email hoặc mật khẩu không đúng. Vui lòng thử lại.", "That email or password is not right. Please try again.";
    signin_incomplete: "Đăng nhập chưa hoàn tất. Vui lòng thử lại.", "Signing in did not complete. Please try again.";
    signin_unavailable: "Hiện chưa thể đăng nhập. Vui lòng thử lại sau giây lát.", "Signing in is not available right now. Please try again in a moment.";
    signin_dev_hint: "Cửa hàng này đang chạy với trình cung cấp danh tính tích hợp sẵn dành cho phát triển. Các tài khoản của nó được liệt kê trong README.", "This shop is running with its built-in development identity provider. Its accounts are listed in the README.";
    signin_username: "Email hoặc tên đăng nhập", "Email or username";
    signin_password: "Mật khẩu", "Password";
    continue_as_guest: "Tiếp tục mua hàng không cần đăng nhập", "Continue as a guest";
}
