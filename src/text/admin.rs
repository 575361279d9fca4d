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
}
