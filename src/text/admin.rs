//! The words of the admin area: its navigation and overview, the product list and
//! form with the form's field errors, a product's images and why an upload was
//! refused, and the insights page.

crate::words! {
    nav_label: "Quản trị", "Admin";
    overview: "Tổng quan", "Overview";
    products: "Sản phẩm", "Products";
    insights: "Phân tích", "Insights";

    orders_figure: " đơn hàng", " orders";
    in_orders_figure: " tổng giá trị đơn hàng", " in orders";
    customers_figure: " khách hàng", " customers";
    latest_orders: "Đơn hàng mới nhất", "Latest orders";

    products_title: "Sản phẩm · Quản trị", "Products · Admin";
    new_product_button: "Thêm sản phẩm", "New product";
    search_label: "Tìm sản phẩm", "Search products";
    search_placeholder: "Tên, thương hiệu hoặc mã", "Name, brand or id";
    no_products_match: "Không có sản phẩm nào phù hợp.", "No products match.";
    column_product: "Sản phẩm", "Product";
    category: "Danh mục", "Category";
    column_price: "Giá", "Price";
    column_stock: "Tồn kho", "Stock";
    column_images: "Ảnh", "Images";
    column_status: "Trạng thái", "Status";
    price_was: "{sale} (giá gốc {price})", "{sale} (was {price})";
    status_archived: "Đã lưu trữ", "Archived";
    status_featured: "Đang bán, nổi bật", "In the catalog, featured";
    status_in_catalog: "Đang bán", "In the catalog";

    new_product_title: "Sản phẩm mới · Quản trị", "New product · Admin";
    new_product_heading: "Sản phẩm mới", "New product";
    edit_product_title: "Sửa sản phẩm · Quản trị", "Edit product · Admin";
    product_created: "Đã tạo sản phẩm. Hãy thêm ảnh cho sản phẩm ở bên dưới.", "Product created. Add its images below.";
    archive_conflict: "Ai đó vừa thay đổi sản phẩm này; trang đang hiển thị sản phẩm như hiện tại. Hãy thử lại.", "Someone changed this product meanwhile; it is shown as it is now. Try again.";
    view_in_shop: "Xem trên cửa hàng", "View in the shop";
    archived_note: "Đã lưu trữ: không còn trong danh mục. Các đơn hàng cũ vẫn hiển thị sản phẩm này.", "Archived: not in the catalog. Past orders still show it.";
    in_catalog_note: "Đang bán trong danh mục.", "In the catalog.";
    version_note: " Phiên bản {version}.", " Version {version}.";
    restore: "Đưa trở lại danh mục", "Restore to the catalog";
    archive: "Lưu trữ sản phẩm", "Archive product";

    price_label: "Giá ({currency})", "Price ({currency})";
    saved_version: "Đã lưu (phiên bản {version}).", "Saved (version {version}).";
    correct_one: "Vui lòng sửa 1 trường trong biểu mẫu bên dưới.", "Please correct one field in the form below.";
    correct_many: "Vui lòng sửa {n} trường trong biểu mẫu bên dưới.", "Please correct {n} fields in the form below.";
    save_conflict: "Người khác đã lưu sản phẩm này (nay là phiên bản {version}) trong lúc bạn đang sửa. Chưa có gì bị ghi đè: hãy tải lại trang để xem thay đổi của họ, rồi thực hiện lại thay đổi của bạn.", "Someone else saved this product (now version {version}) while you were editing. Nothing was overwritten: reload to see their changes, then make yours again.";
    label_id: "Mã sản phẩm (dùng làm địa chỉ: /products/…)", "Id (its address: /products/…)";
    label_name: "Tên tiếng Anh", "Name in English";
    label_name_vi: "Tên tiếng Việt", "Name in Vietnamese";
    missing_vi: "Chưa có tiếng Việt", "No Vietnamese";
    missing_en: "Chưa có tiếng Anh", "No English";
    label_brand: "Thương hiệu", "Brand";
    choose_category: "Chọn danh mục", "Choose a category";
    label_description: "Mô tả tiếng Anh", "Description in English";
    label_description_vi: "Mô tả tiếng Việt", "Description in Vietnamese";
    label_discount_price: "Giá khuyến mãi (không bắt buộc)", "Sale price (optional)";
    label_stock: "Số lượng tồn kho", "In stock";
    featured_label: "Nổi bật trên trang chủ", "Featured on the home page";
    create_product: "Tạo sản phẩm", "Create product";
    save_changes: "Lưu thay đổi", "Save changes";

    error_id: "Dùng 3 đến 64 ký tự gồm chữ thường không dấu, chữ số và dấu gạch ngang đơn, ví dụ `aurora-ring`.", "Use 3 to 64 lowercase letters, digits and single hyphens, like `aurora-ring`.";
    error_id_taken: "Đã có sản phẩm dùng mã này: hãy chọn mã khác.", "A product with this id exists already: choose another.";
    error_name: "Tên phải dài từ 2 đến 200 ký tự.", "The name must be 2 to 200 characters.";
    error_name_missing: "Nhập tên bằng ít nhất một ngôn ngữ.", "Enter the name in at least one language.";
    error_description_missing: "Nhập mô tả bằng ít nhất một ngôn ngữ.", "Enter the description in at least one language.";
    error_brand: "Thương hiệu phải dài từ 1 đến 100 ký tự.", "The brand must be 1 to 100 characters.";
    error_category: "Hãy chọn một danh mục.", "Choose a category.";
    error_description: "Mô tả phải dài từ 10 đến 4.000 ký tự.", "The description must be 10 to 4,000 characters.";
    error_price: "Nhập giá bằng {currency}, lớn hơn 0 và không quá {max}, ví dụ {example}.", "Enter a price in {currency} above 0 and at most {max}, like {example}.";
    error_discount_price: "Nhập giá khuyến mãi bằng {currency}, ví dụ {example}, hoặc để trống.", "Enter a sale price in {currency}, like {example}, or leave it empty.";
    error_discount_not_below: "Giá khuyến mãi phải thấp hơn giá bán.", "The sale price must be below the price.";
    error_stock: "Nhập số lượng tồn kho: một số nguyên từ 0 đến {max}.", "Enter how many are in stock: a whole number from 0 to {max}.";
    error_reload: "Hãy tải lại trang rồi thử lại.", "Reload the page and try again.";
    error_stock_was: "Hãy tải lại trang rồi thử lại: biểu mẫu không cho biết số lượng tồn kho ban đầu.", "Reload the page and try again: the form does not say what stock it started from.";

    images_heading: "Hình ảnh", "Images";
    images_hint: "Ảnh đầu tiên là ảnh chính của sản phẩm. Nhận ảnh JPEG, PNG, WebP hoặc AVIF, mỗi ảnh tối đa 5 MB.", "The first image is the product's main picture. JPEG, PNG, WebP or AVIF, up to 5 MB each.";
    no_images: "Chưa có ảnh nào.", "No images yet.";
    new_images_alt: "Mô tả ảnh mới (văn bản thay thế)", "Describe new images (alt text)";
    add_images: "Thêm ảnh", "Add images";
    needs_javascript: "Cần bật JavaScript để tải ảnh lên.", "Uploading images needs JavaScript.";
    image_alt_label: "Văn bản thay thế của ảnh {n}", "Alt text of image {n}";
    save_alt: "Lưu văn bản thay thế", "Save alt text";
    move_earlier: "Chuyển lên trước", "Move earlier";
    move_later: "Chuyển ra sau", "Move later";
    remove: "Xóa", "Remove";
    upload_preparing: "Đang chuẩn bị…", "Preparing…";
    upload_sending: "Đang tải lên… {percent}%", "Uploading… {percent}%";
    upload_checking: "Đang kiểm tra…", "Checking…";
    upload_done: "Đã thêm", "Added";
    upload_failed: "Tệp chưa đến được kho lưu trữ. Hãy kiểm tra kết nối rồi thử lại.", "The upload did not reach storage. Check the connection and try again.";
    upload_storage_refused: "Kho lưu trữ đã từ chối tệp tải lên (trạng thái {status}).", "Storage refused the upload (status {status}).";

    upload_unsupported_type: "Hãy tải lên ảnh JPEG, PNG, WebP hoặc AVIF.", "Upload a JPEG, PNG, WebP or AVIF image.";
    upload_empty: "Tệp trống.", "The file is empty.";
    upload_too_large: "Mỗi ảnh tối đa 5 MB.", "Images may be 5 MB at most.";
    upload_unknown: "Lượt tải lên này không tồn tại hoặc đã hết hạn, hoặc ảnh đã được thêm rồi. Hãy tải tệp lên lại.", "This upload is unknown or has expired, or the image was added already. Upload the file again.";
    upload_not_uploaded: "Tệp chưa được tải lên xong. Hãy tải lên lại.", "The file did not finish uploading. Upload it again.";
    upload_not_as_signed: "Loại hoặc dung lượng của tệp đã lưu khác với thông tin đã khai báo, nên tệp đã bị loại bỏ.", "The stored file's type or size differ from what was announced, so it was discarded.";
    upload_not_an_image: "Nội dung tệp không phải là ảnh đúng định dạng đã khai báo, nên tệp đã bị loại bỏ.", "The file's contents are not an image of its type, so it was discarded.";
    upload_bad_alt: "Hãy mô tả ảnh bằng 1 đến 250 ký tự (văn bản thay thế).", "Describe the image in 1 to 250 characters (its alt text).";
    upload_too_many_images: "Mỗi sản phẩm có tối đa 12 ảnh: hãy xóa bớt một ảnh trước.", "A product has 12 images at most: remove one first.";

    insights_title: "Phân tích · Quản trị", "Insights · Admin";
    range_label: "Khoảng thời gian", "Range";
    range_today: "Hôm nay", "Today";
    range_week: "7 ngày", "7 days";
    range_month: "30 ngày", "30 days";
    insights_span: "{span} ({zone}), chỉ tính khách mua sắm: không tính bot và trình thu thập dữ liệu.", "{span} ({zone}), shoppers only: bots and crawlers are left out.";
    insights_from_to: "{from} đến {to}", "{from} to {to}";
    insights_consent_note: "Phiên truy cập chỉ tính những khách đã đồng ý cho phân tích. Lượt tải trang tính mọi khách, dù đồng ý hay không, và không gắn với ai.", "Sessions count only the shoppers who accepted analytics. Pages served count every shopper's page loads, consent or not, tied to no one.";
    pages_figure: " lượt tải trang", " pages served";
    column_pages: "Lượt tải trang", "Pages served";
    sources_heading: "Khách đến từ đâu", "Where shoppers come from";
    sources_note: "Mỗi phiên tính theo chiến dịch (utm_*) và trang web giới thiệu của trang đầu tiên; mỗi đơn hàng tính cho phiên đã đặt nó (lần chạm cuối).", "Each session counts for the campaign (utm_*) and referring site of its first page; each order for the session that placed it (the last touch).";
    by_source_medium: "Theo nguồn / phương tiện", "By source / medium";
    by_campaign: "Theo chiến dịch", "By campaign";
    by_referrer: "Theo trang web giới thiệu", "By referring site";
    column_checkouts: "Bắt đầu thanh toán", "Checkouts started";
    source_none: "(trực tiếp hoặc không có)", "(direct or none)";
    sources_empty: "Chưa có phiên nào trong khoảng thời gian này.", "No session in this range yet.";
    totals_label: "Tổng cộng", "Totals";
    sessions_figure: " phiên truy cập", " sessions";
    revenue_figure: " doanh thu", " revenue";
    abandoned_figure: " lượt thanh toán bị bỏ dở", " of checkouts abandoned";
    funnel_heading: "Phễu chuyển đổi", "Funnel";
    funnel_caption: "Số phiên theo bước xa nhất đã đạt tới: mỗi bước tính các phiên đi được ít nhất đến bước đó.", "Sessions by the furthest step they reached: each step counts the sessions that got at least that far.";
    column_step: "Bước", "Step";
    column_sessions: "Phiên", "Sessions";
    column_from_previous: "So với bước trước", "From the step before";
    column_from_first: "So với bước đầu tiên", "From the first step";
    per_day_heading: "Theo ngày", "Per day";
    legend_sessions: " phiên truy cập (nét liền, điểm tròn) ", " sessions (solid, round marks) ";
    legend_orders: " đơn hàng (nét đứt, điểm vuông)", " orders (dashed, square marks)";
    revenue_per_day: "Doanh thu theo ngày", "Revenue per day";
    column_day: "Ngày", "Day";
    column_orders: "Đơn hàng", "Orders";
    column_revenue: "Doanh thu", "Revenue";
    top_none: "Chưa có sản phẩm nào trong khoảng thời gian này.", "None in this range yet.";
    column_views: "Lượt xem", "Views";
    column_adds: "Lượt thêm vào giỏ", "Adds to cart";
    column_view_to_cart: "Tỷ lệ thêm vào giỏ", "View to cart";
    no_product_viewed: "Chưa có sản phẩm nào được xem trong khoảng thời gian này.", "No product was viewed in this range.";
    top_viewed: "Được xem nhiều nhất", "Most viewed";
    top_added: "Được thêm vào giỏ nhiều nhất", "Most added to carts";
    top_rate: "Tỷ lệ thêm vào giỏ cao nhất", "Best view-to-cart rate";
    rate_note: "Xếp hạng theo tỷ lệ chỉ tính các sản phẩm có ít nhất {n} lượt xem trong khoảng thời gian này.", "The rate ranks products with at least {n} views in the range.";

    variants_heading: "Phân loại và tồn kho", "Options and variants";
    variants_intro: "Bán sản phẩm theo tối đa ba tùy chọn (ni nhẫn, chất liệu, chiều dài dây). Mỗi tổ hợp giá trị là một phân loại có mã SKU, tồn kho và, nếu muốn, giá riêng.", "Sell the product by up to three options (ring size, metal, chain length). Each combination of their values is a variant with its SKU, its stock and, if you like, its own price.";
    /// An option's slot in the form: `{n}` is 1 to 3.
    option_n: "Tùy chọn {n}", "Option {n}";
    label_option_kind: "Loại", "Kind";
    kind_size: "Ni nhẫn (có bảng chọn ni)", "Ring size (with the size guide)";
    kind_metal: "Chất liệu (lọc được trong danh mục)", "Metal (a catalog filter)";
    kind_length: "Chiều dài", "Length";
    kind_other: "Khác", "Other";
    label_option_name: "Tên (tiếng Anh)", "Name (English)";
    label_option_name_vi: "Tên (tiếng Việt)", "Name (Vietnamese)";
    label_values: "Giá trị (tiếng Anh), cách nhau bằng dấu phẩy", "Values (English), separated by commas";
    label_values_vi: "Giá trị (tiếng Việt), cùng thứ tự; để trống nếu giống tiếng Anh", "Values (Vietnamese), in the same order; empty when the same as the English";
    save_options: "Lưu tùy chọn và tạo phân loại", "Save options and make the variants";
    /// After saving options: the product's new `{version}`.
    options_saved: "Đã lưu tùy chọn và phân loại (phiên bản {version}).", "Options and variants saved (version {version}).";
    column_variant: "Phân loại", "Variant";
    column_sku: "SKU", "SKU";
    column_own_price: "Giá riêng", "Own price";
    column_own_discount: "Giá KM riêng", "Own sale price";
    column_archived: "Ngừng bán", "Archived";
    /// Under the variants: the product's `{price}`, which a variant without its own sells at.
    inherit_hint: "Để trống giá riêng để bán theo giá của sản phẩm ({price}).", "Leave the own price empty to sell at the product's ({price}).";
    save_variants: "Lưu phân loại", "Save variants";
    /// After saving variants: the product's new `{version}`.
    variants_saved: "Đã lưu phân loại (phiên bản {version}).", "Variants saved (version {version}).";
    bulk_heading: "Sửa nhiều phân loại cùng lúc", "Change many variants at once";
    bulk_which: "Áp dụng cho", "Apply to";
    bulk_all: "Mọi phân loại đang bán", "Every variant on sale";
    bulk_price: "Giá riêng mới (để trống: giữ nguyên)", "New own price (empty: unchanged)";
    bulk_discount: "Giá KM riêng mới (để trống: không có)", "New own sale price (empty: none)";
    bulk_product_price: "Bán lại theo giá của sản phẩm", "Sell at the product's price again";
    bulk_stock_add: "Thêm vào tồn kho (số âm để bớt)", "Add to stock (negative to take away)";
    bulk_apply: "Áp dụng", "Apply";
    /// After a bulk change: `{n}` variants changed, the product's new `{version}`.
    bulk_applied: "Đã thay đổi {n} phân loại (phiên bản {version}).", "{n} variants changed (version {version}).";
    /// Where a product with options says its stock: `{n}` in all.
    stock_per_variant: "Tồn kho được quản lý theo từng phân loại bên dưới: tổng cộng {n}.", "Stock is kept per variant, below: {n} in all.";
    error_option_name: "Đặt tên cho tùy chọn bằng ít nhất một ngôn ngữ, tối đa 60 ký tự.", "Name the option in at least one language, at most 60 characters.";
    /// `{max}` values at most.
    error_option_values: "Nhập từ 1 đến {max} giá trị khác nhau, mỗi giá trị tối đa 40 ký tự và có chữ hoặc số.", "Enter 1 to {max} different values, each at most 40 characters, with letters or digits.";
    error_option_values_vi: "Nhập cùng số giá trị như tiếng Anh, hoặc để trống.", "Enter as many values as in English, or leave it empty.";
    /// The options make `{n}` variants; `{max}` at most.
    error_too_many_variants: "Các tùy chọn này tạo ra {n} phân loại; tối đa là {max}.", "These options make {n} variants; at most {max} can be sold.";
    error_sku: "SKU gồm 1 đến 64 ký tự: chữ in hoa không dấu, chữ số, - _ hoặc dấu chấm.", "A SKU is 1 to 64 capital letters, digits, -, _ or dots.";
    error_sku_taken: "SKU này đã được dùng cho một phân loại khác.", "Another variant has this SKU.";
    error_discount_needs_price: "Đặt giá riêng trước khi đặt giá khuyến mãi riêng.", "Set an own price before an own sale price.";
    /// `{max}` the most one change may add or take away.
    error_stock_add: "Nhập một số nguyên từ -{max} đến {max}, hoặc để trống.", "Enter a whole number from -{max} to {max}, or leave it empty.";
    error_bulk_nothing: "Hãy nhập ít nhất một thay đổi.", "Enter at least one change.";
    label_metal: "Chất liệu (cho bộ lọc của danh mục)", "Metal (for the catalog's filter)";
    metal_none: "Không ghi", "Not given";
    error_metal: "Hãy chọn một chất liệu trong danh sách.", "Choose a metal from the list.";

    // The order desk.
    nav_orders: "Đơn hàng", "Orders";
    orders_title: "Đơn hàng · Quản trị", "Orders · Admin";
    orders_heading: "Đơn hàng", "Orders";
    orders_filter: "Lọc đơn hàng", "Filter orders";
    orders_status_any: "Mọi trạng thái", "Any status";
    orders_from: "Từ ngày", "From";
    orders_to: "Đến ngày", "To";
    orders_search_label: "Tìm đơn hàng", "Search orders";
    orders_search: "Mã đơn, email hoặc số điện thoại", "Order number, email or phone";
    orders_apply: "Lọc", "Filter";
    orders_none: "Không có đơn hàng nào phù hợp.", "No orders match.";
    /// `{n}` orders match; page `{page}` of `{pages}`.
    orders_count: "{n} đơn hàng · trang {page}/{pages}", "{n} orders · page {page} of {pages}";
    orders_pages: "Các trang đơn hàng", "Order pages";
    orders_previous: "Trang trước", "Previous page";
    orders_next: "Trang sau", "Next page";
    order_desk_title: "Đơn {id} · Quản trị", "Order {id} · Admin";
    order_customer: "Khách hàng", "Customer";
    order_account: "Tài khoản: {sub}", "Account: {sub}";
    order_guest: "Khách vãng lai", "Guest checkout";
    order_history_heading: "Lịch sử trạng thái", "Status history";
    order_history_by: "bởi {who}", "by {who}";
    order_history_shopper: "khách hàng", "the shopper";
    order_cash_collected: "Đã thu {amount}", "{amount} collected";
    order_resellable: "Bán lại được", "Back on sale";
    order_not_resellable: "Không bán lại", "Not resold";
    order_moves_heading: "Cập nhật đơn hàng", "Move the order";
    order_no_moves: "Đơn hàng này đã kết thúc.", "This order is closed.";
    move_confirm: "Xác nhận đơn", "Confirm the order";
    move_ship: "Đánh dấu đã gửi hàng", "Mark shipped";
    move_deliver: "Đánh dấu đã giao", "Mark delivered";
    move_cancel: "Hủy đơn", "Cancel the order";
    move_return: "Ghi nhận trả hàng", "Record a return";
    label_carrier: "Đơn vị vận chuyển", "Carrier";
    label_tracking: "Mã vận đơn", "Tracking number";
    label_cash: "Tiền mặt đã thu", "Cash collected";
    label_note: "Ghi chú (không bắt buộc)", "Note (optional)";
    label_reason: "Lý do hủy", "Reason";
    label_resellable: "Sản phẩm còn bán lại được (trả về kho)", "The piece can be sold again (back into stock)";
    /// `{status}`: the order's new status.
    order_moved: "Đơn hàng đã chuyển sang: {status}.", "The order is now {status}.";
    error_order_status: "Hãy chọn một trạng thái hợp lệ.", "Choose a status the order can move to.";
    error_note: "Ghi chú tối đa {max} ký tự.", "A note is at most {max} characters.";
    error_carrier: "Hãy nhập đơn vị vận chuyển (tối đa 60 ký tự).", "Name the carrier (at most 60 characters).";
    error_tracking: "Hãy nhập mã vận đơn: chữ, số, dấu gạch ngang hoặc khoảng trắng, tối đa 60 ký tự.", "Give the tracking number: letters, digits, dashes or spaces, at most 60 characters.";
    error_cash: "Hãy nhập số tiền đã thu bằng {currency}, ví dụ {example}.", "Give the cash collected in {currency}, e.g. {example}.";
    error_reason: "Hãy cho biết lý do hủy.", "Give the reason for cancelling.";
    /// A move the order's status does not allow (409 `order_move_not_allowed`).
    refusal_move: "Đơn hàng đang ở trạng thái {from} nên không thể chuyển sang {to}.", "The order is {from}, so it cannot become {to}.";
    /// Someone moved the order since the page was loaded (409 `order_changed`).
    refusal_order_changed: "Đơn hàng vừa được người khác cập nhật. Hãy tải lại trang để xem trạng thái mới.", "Someone moved this order since you loaded it. Reload the page to see where it is now.";

    // The mail page: the order emails and where each is.
    nav_mail: "Email", "Mail";
    mail_title: "Email · Quản trị", "Mail · Admin";
    mail_heading: "Email đơn hàng", "Order emails";
    mail_intro: "Các email gần nhất, mới nhất trước. Với cách gửi mặc định, mỗi email là một tệp .eml trong thư mục dữ liệu, mở được bằng ứng dụng email.", "The latest emails, newest first. With the default transport each is an .eml file in the data directory, which a mail client opens.";
    mail_none: "Chưa có email nào.", "No emails yet.";
    column_created: "Tạo lúc", "Written";
    column_order: "Đơn hàng", "Order";
    column_kind: "Loại", "Kind";
    column_to: "Người nhận", "To";
    column_subject: "Tiêu đề", "Subject";
    column_state: "Tình trạng", "State";
    mail_sent: "Đã gửi", "Sent";
    /// `{n}`: tries so far; `{why}`: the last failure's reason.
    mail_waiting: "Đang chờ (đã thử {n} lần: {why})", "Waiting ({n} tries: {why})";
    mail_queued: "Đang chờ gửi", "Queued";
    mail_refused: "Bị từ chối: {why}", "Refused: {why}";
    mail_open_file: "Tải tệp .eml", "Download .eml";

    // The insights page's orders after placing.
    insights_after: "Sau khi đặt", "After placing";
    insights_delivered: "Đã giao", "Delivered";
    insights_cancelled: "Đã hủy", "Cancelled";
    insights_returned: "Trả lại", "Returned";
    insights_after_note: "Tính theo ngày đơn được giao, hủy hoặc trả lại; doanh thu đã giao là tiền mặt đã thu.", "Counted on the day an order was delivered, cancelled or returned; delivered revenue is the cash collected.";
    by_variant: "Theo phân loại", "By variant";
    by_variant_note: "Lượt xem và thêm vào giỏ của từng phân loại (ni, chất liệu…) đã được xem, và số lượng đã bán.", "Each variant's views and adds to cart (size, metal, …), and the units sold.";
    /// A product's variants, opened: its `{name}` and how many variants, `{n}`.
    variants_of: "{name}: {n} phân loại", "{name}: {n} variants";
    column_sold: "Đã bán", "Sold";
    /// An image's variant: image `{n}`.
    image_variant_label: "Ảnh {n} hiển thị cho", "Image {n} is shown for";
    image_for_all: "Mọi phân loại (ảnh của sản phẩm)", "Every variant (the product's)";
}
