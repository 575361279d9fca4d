//! The storefront's words: the home page, the catalog (its filters, sort orders,
//! search, result counts and pages), product cards and prices, and the product
//! page with its gallery and add-to-cart form.

crate::words! {
    home_title: "Trang sức cao cấp, giao tận nơi", "Fine jewelry, delivered";
    home_description: "Nhẫn, dây chuyền, bông tai và vòng tay bằng vàng, bạch kim và bạc, đính kim cương, ngọc trai và đá quý. Miễn phí giao hàng có bảo hiểm, thanh toán khi nhận hàng.", "Rings, necklaces, earrings and bracelets in gold, platinum and silver, with diamonds, pearls and precious stones. Free insured delivery, cash on delivery.";
    home_eyebrow: "Bộ sưu tập mới", "New season";
    home_heading: "Trang sức để đeo mỗi ngày", "Jewelry made to be worn every day";
    home_lede: "Vàng nguyên khối, bạch kim và bạc 925, đính đá quý được khai thác có trách nhiệm. Miễn phí giao hàng có bảo hiểm và đổi trả trong 30 ngày.", "Solid gold, platinum and sterling silver, set with ethically sourced stones. Free insured delivery and 30-day returns.";
    home_shop_collection: "Khám phá bộ sưu tập", "Shop the collection";
    home_new_arrivals: "Hàng mới về", "New arrivals";
    home_hero_alt: "Ba sợi dây chuyền: một chuỗi ngọc trai, một mặt dây chuyền kim cương và bộ ba thạch anh tím", "Three necklaces: a pearl strand, a diamond pendant and an amethyst trio";
    shop_by_category: "Mua theo danh mục", "Shop by category";
    featured_pieces: "Sản phẩm nổi bật", "Featured pieces";
    /// How many pieces, when there is one.
    pieces_one: "1 sản phẩm", "1 piece";
    /// How many pieces (`{n}`, its digits grouped), when there are none or several.
    pieces_many: "{n} sản phẩm", "{n} pieces";

    all_jewelry: "Tất cả trang sức", "All jewelry";
    /// A search's heading; `{q}` is the shopper's words.
    results_for: "Kết quả tìm kiếm cho “{q}”", "Results for “{q}”";
    catalog_description: "Xem tất cả nhẫn, dây chuyền, bông tai và vòng tay trong bộ sưu tập.", "Browse every ring, necklace, pair of earrings and bracelet in the collection.";
    /// A catalog page's title after the first: `{heading}` and the page number `{n}`.
    title_page: "{heading}, trang {n}", "{heading}, page {n}";
    filters: "Bộ lọc", "Filters";
    category: "Danh mục", "Category";
    catalog_search_label: "Tìm kiếm", "Search";
    catalog_search_placeholder: "Tên, thương hiệu hoặc chất liệu", "Name, brand or material";
    metal: "Chất liệu", "Metal";
    price: "Khoảng giá", "Price";
    /// A price filter's value: below `{max}`.
    price_under: "Dưới {max}", "Under {max}";
    /// A price filter's value: from `{min}` to `{max}`.
    price_between: "{min} đến {max}", "{min} to {max}";
    /// A price filter's value: `{min}` and above.
    price_over: "Từ {min} trở lên", "{min} and over";
    /// A chosen filter's link, which takes it off: `{value}`.
    remove_filter: "Bỏ lọc {value}", "Remove the filter {value}";
    sort_by: "Sắp xếp theo", "Sort by";
    sort_label: "Sắp xếp:", "Sort:";
    sort_featured: "Nổi bật", "Featured";
    sort_price_asc: "Giá: thấp đến cao", "Price: low to high";
    sort_price_desc: "Giá: cao đến thấp", "Price: high to low";
    sort_newest: "Mới nhất", "Newest";
    no_results: "Không có sản phẩm nào phù hợp. Hãy thử từ khóa khác, hoặc xem tất cả sản phẩm.", "No pieces match. Try another word, or browse everything.";
    clear_filters: "Xóa tìm kiếm và bộ lọc", "Clear search and filters";
    pages: "Phân trang", "Pages";
    page_n: "Trang {n}", "Page {n}";
    previous_page: "‹ Trang trước", "‹ Previous";
    next_page: "Trang sau ›", "Next ›";

    /// Said before a discounted price, to screen readers only (ends with a space).
    sale_price: "Giá khuyến mãi ", "Sale price ";
    /// Said before the struck-through price, to screen readers only (ends with a space).
    regular_price: "Giá gốc ", "Regular price ";
    sold_out: "Hết hàng", "Sold out";
    sale_badge: "Giảm giá", "Sale";
    /// A few left: `{n}`.
    stock_low: "Chỉ còn {n} chiếc", "Only {n} left";
    stock_in: "Còn hàng ({n} chiếc có sẵn)", "In stock ({n} available)";

    /// A product page's title: the piece's `{name}` and `{brand}`.
    product_title: "{name} – {brand}", "{name} by {brand}";
    breadcrumb: "Đường dẫn trang", "Breadcrumb";
    home: "Trang chủ", "Home";
    assurance_delivery: "Miễn phí giao hàng có bảo hiểm", "Free insured delivery";
    assurance_cash: "Thanh toán khi nhận hàng", "Pay cash on delivery";
    assurance_returns: "Đổi trả trong 30 ngày", "30-day returns";
    /// A gallery thumbnail's name: image `{i}` of `{n}`.
    show_image: "Xem ảnh {i}/{n}", "Show image {i} of {n}";
    sold_out_note: "Món trang sức này đã hết hàng. Hãy xem những món tương tự trong bộ sưu tập.", "This piece is sold out. Browse similar pieces in the collection.";
    /// A product sold by options whose chosen variant is sold out.
    variant_sold_out_note: "Lựa chọn này đã hết hàng. Hãy chọn phân loại khác ở trên.", "This choice is sold out. Choose another above.";
    /// After adding: `{n}` of the piece are now in the cart (ends with a space, before the cart link).
    added_to_cart: "Đã thêm vào giỏ hàng. Giỏ của bạn hiện có {n} chiếc sản phẩm này. ", "Added to your cart. You have {n} of this piece in your cart. ";
    view_cart: "Xem giỏ hàng", "View cart";
    quantity: "Số lượng", "Quantity";
    adding: "Đang thêm…", "Adding…";
    add_to_cart: "Thêm vào giỏ", "Add to cart";

    /// After a value in a variant picker whose combination is sold out (starts with a space).
    variant_sold_out: " (hết hàng)", " (sold out)";
    /// After a value not made with the other options as chosen (starts with a space).
    variant_unavailable: " (không có với lựa chọn này)", " (not made with this choice)";
    /// A variant picker's name: the option's `{option}` and the chosen value's `{value}`.
    variant_chosen: "{option}: {value}", "{option}: {value}";
    sku: "Mã sản phẩm", "SKU";
    size_guide: "Hướng dẫn chọn ni nhẫn", "Ring size guide";
    size_guide_intro: "Đo chu vi trong của một chiếc nhẫn vừa tay (hoặc quấn một sợi chỉ quanh ngón tay), rồi chọn ni gần nhất. Nếu ở giữa hai ni, hãy chọn ni lớn hơn.", "Measure the inside circumference of a ring that fits (or wrap a thread around your finger) and choose the nearest size. Between two sizes, choose the larger.";
    size_guide_size: "Ni", "Size";
    size_guide_circumference: "Chu vi trong (mm)", "Inside circumference (mm)";
    size_guide_diameter: "Đường kính trong (mm)", "Inside diameter (mm)";
}
