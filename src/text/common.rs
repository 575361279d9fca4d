//! The words every page shares: the frame (header, footer, language switcher),
//! errors and the cart's refusals, and the notices standing in for a page.

crate::words! {
    shop_name: "Lumen Jewelry", "Lumen Jewelry";
    brand_sub: "Trang sức", "Jewelry";
    skip_to_content: "Chuyển đến nội dung", "Skip to content";
    main_navigation: "Điều hướng chính", "Main";
    shop_all: "Tất cả sản phẩm", "Shop all";
    search_label: "Tìm trang sức", "Search jewelry";
    search_placeholder: "Tìm nhẫn, ngọc trai, thương hiệu…", "Search rings, pearls, brands…";
    search_button: "Tìm", "Search";
    cart: "Giỏ hàng", "Cart";
    cart_empty: " (trống)", " (empty)";
    cart_one: " (1 sản phẩm)", " (1 item)";
    cart_many: " ({n} sản phẩm)", " ({n} items)";
    account_of: "Tài khoản của ", "Account of ";
    admin: "Quản trị", "Admin";
    sign_in: "Đăng nhập", "Sign in";
    sign_out: "Đăng xuất", "Sign out";
    language: "Ngôn ngữ", "Language";
    footer_tagline: " · Trang sức cao cấp, giao hàng có bảo hiểm, thanh toán khi nhận hàng.", " · Fine jewelry, insured delivery, cash on delivery.";
    footer_promises: "Miễn phí giao hàng mọi đơn · Đổi trả trong 30 ngày · Làm sạch trọn đời", "Free shipping on every order · 30-day returns · Lifetime cleaning";
    loading: "Đang tải…", "Loading…";
    browse_collection: "Xem bộ sưu tập", "Browse the collection";

    error_not_found: "Chúng tôi không tìm thấy nội dung này.", "We could not find that.";
    error_gone: "Món trang sức này không còn được bán.", "That piece is no longer in the shop.";
    error_unavailable: "Cửa hàng tạm thời không phục vụ được. Vui lòng thử lại sau giây lát.", "The shop is not available right now. Please try again in a moment.";
    error_sign_in_required: "Vui lòng đăng nhập để xem nội dung này.", "Please sign in to see this.";
    error_forbidden: "Khu vực này dành cho quản trị viên của cửa hàng.", "This area is for the shop's administrators.";
    error_bad_request: "Cửa hàng không đọc được yêu cầu này.", "The shop could not read that request.";
    error_transport: "Không kết nối được với cửa hàng. Vui lòng thử lại.", "The connection to the shop failed. Please try again.";

    refusal_quantity_out_of_range: "Chọn số lượng từ 1 đến {max}.", "Choose a quantity from 1 to {max}.";
    refusal_no_longer_available: "Món trang sức này không còn được bán.", "This piece is no longer available.";
    refusal_choose_variant: "Hãy chọn phân loại bạn muốn trước.", "Choose the options you want first.";
    refusal_sold_out: "Rất tiếc, {name} đã hết hàng.", "Sorry, {name} is sold out.";
    refusal_sold_out_in_cart: "Rất tiếc, {name} đã hết hàng. Hãy bỏ khỏi giỏ để thanh toán.", "Sorry, {name} is sold out. Remove it to check out.";
    refusal_line_limit: "Mỗi món chỉ được đặt tối đa {max} chiếc trong giỏ.", "You can have at most {max} of one piece in your cart.";
    refusal_not_enough_left: "Chỉ còn {left} chiếc.", "Only {left} left.";
    refusal_not_enough_left_held: "Chỉ còn {left} chiếc, và giỏ của bạn đã có {held}.", "Only {left} left, and your cart already holds {held}.";
    refusal_not_enough_of: "{name} chỉ còn {left} chiếc.", "Only {left} of {name} left.";

    not_found_title: "Không tìm thấy trang", "Page not found";
    not_found_order: "Không tìm thấy đơn hàng", "Order not found";
    not_found_product: "Không tìm thấy sản phẩm", "Product not found";
    not_found_body: "Có thể món này đã bán hết hẳn, hoặc đường dẫn bị gõ sai.", "It may have sold out for good, or the link may be mistyped.";
    gone_title: "Món trang sức này không còn được bán", "This piece is no longer available";
    gone_body: "Món này đã rời bộ sưu tập. Có thể có những món tương tự trong danh mục.", "It has left the collection. Similar pieces may be in the catalog.";
    sign_in_notice: "Vui lòng đăng nhập để xem trang này.", "Please sign in to see this page.";
    forbidden_notice: "Khu vực này dành cho quản trị viên của cửa hàng. Tài khoản của bạn không phải là quản trị viên.", "This area is for the shop's administrators. Your account is not one of them.";
}
