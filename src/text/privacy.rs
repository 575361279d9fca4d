//! The words of the consent banner and the privacy page.

crate::words! {
    consent_label: "Quyền riêng tư", "Privacy";
    consent_ask: "Bạn có đồng ý để chúng tôi ghi lại cách bạn dùng cửa hàng (trang đã xem, sản phẩm thêm vào giỏ) để cải thiện cửa hàng không? Không có gì được ghi lại khi bạn chưa đồng ý.", "May we record how you use the shop (pages seen, pieces added to the cart) to improve it? Nothing is recorded unless you agree.";
    consent_accept: "Đồng ý", "Accept";
    consent_refuse: "Từ chối", "Refuse";
    consent_gpc: "Trình duyệt của bạn gửi tín hiệu Global Privacy Control, nên chúng tôi coi như bạn từ chối: không có gì được ghi lại. Bạn vẫn có thể đồng ý trên trang quyền riêng tư.", "Your browser sends Global Privacy Control, so we take it as a refusal: nothing is recorded. You can still opt in on the privacy page.";
    consent_close: "Đã hiểu", "Got it";
    privacy_link: "Chính sách quyền riêng tư", "Privacy notice";

    privacy_title: "Quyền riêng tư", "Privacy";
    privacy_intro: "Lumen Jewelry xử lý dữ liệu cá nhân theo Luật Bảo vệ dữ liệu cá nhân (Luật số 91/2025/QH15) và, với khách hàng ở châu Âu, theo GDPR. Trang này cho biết chúng tôi thu thập gì, vì sao, giữ trong bao lâu, lưu ở đâu và cách bạn thay đổi lựa chọn của mình.", "Lumen Jewelry processes personal data under Vietnam's Personal Data Protection Law (Law 91/2025/QH15) and, for shoppers in Europe, the GDPR. This page says what we collect, why, how long we keep it, where it is stored and how you change your choice.";
    privacy_version: "Phiên bản thông báo: {version}", "Notice version: {version}";
    choice_heading: "Lựa chọn của bạn", "Your choice";
    choice_none: "Bạn chưa chọn. Khi chưa có sự đồng ý của bạn, không có gì được ghi lại.", "You have not chosen yet. Until you agree, nothing is recorded.";
    choice_accepted: "Bạn đã đồng ý cho phép phân tích.", "You have agreed to analytics.";
    choice_refused: "Bạn đã từ chối phân tích: không có gì được ghi lại.", "You have refused analytics: nothing is recorded.";
    choice_withdrawn: "Bạn đã rút lại sự đồng ý: không có gì được ghi lại nữa.", "You have withdrawn your consent: nothing more is recorded.";
    choice_gpc: "Trình duyệt của bạn gửi Global Privacy Control, nên chúng tôi coi như bạn từ chối. Nếu muốn, bạn vẫn có thể đồng ý bên dưới.", "Your browser sends Global Privacy Control, so we take it as a refusal. You can still opt in below.";
    withdraw: "Rút lại sự đồng ý", "Withdraw consent";
    withdraw_note: "Rút lại sẽ xóa các mã đã lưu trong trình duyệt này và dừng việc ghi lại ngay lập tức.", "Withdrawing deletes the ids kept in this browser and stops the recording at once.";
    collected_heading: "Chúng tôi thu thập gì và vì sao", "What we collect and why";
    collected_orders: "Đơn hàng: họ tên, email, số điện thoại và địa chỉ giao hàng, để giao hàng và giữ sổ sách. Cần để thực hiện việc mua bán, không cần sự đồng ý.", "Orders: name, email, phone and delivery address, to deliver and keep the books. Needed to fulfil the sale; no consent is asked.";
    collected_account: "Tài khoản: khi bạn đăng nhập, mã tài khoản, tên và email của bạn, để bạn xem lại đơn hàng.", "Account: when you sign in, your account id, name and email, so you can see your orders.";
    collected_analytics: "Phân tích, chỉ khi bạn đồng ý: các trang và sản phẩm bạn xem, sản phẩm thêm vào giỏ và thanh toán; một mã ngẫu nhiên cho trình duyệt này (localStorage) và cho lượt truy cập (sessionStorage); nơi đã đưa bạn đến (tham số utm_* và trang web giới thiệu); trình duyệt và địa chỉ IP đã rút gọn (chỉ phần mạng). Để hiểu cách khách hàng dùng cửa hàng và cải thiện nó.", "Analytics, only if you agree: the pages and pieces you view, what you add to the cart and check out; a random id for this browser (localStorage) and for the visit (sessionStorage); what brought you here (the utm_* parameters and the referring site); your browser and a shortened IP address (its network only). To learn how shoppers use the shop and improve it.";
    collected_security: "Bảo mật: với việc đăng nhập và mỗi yêu cầu gửi đến máy chủ, địa chỉ IP đầy đủ, để chống gian lận và lạm dụng (lợi ích chính đáng).", "Security: for sign-ins and every request to the server, the full IP address, to stop fraud and abuse (legitimate interest).";
    collected_count: "Không cần đồng ý, máy chủ chỉ đếm số lượt tải trang mỗi ngày, không gắn với ai.", "Without consent, the server only counts page loads per day, tied to no one.";
    kept_heading: "Giữ trong bao lâu", "How long it is kept";
    kept_logs: "Nhật ký của cửa hàng, gồm dữ liệu phân tích và hồ sơ về lựa chọn của bạn: {days} ngày.", "The shop's logs, analytics and the records of your choices included: {days} days.";
    kept_insights: "Số liệu tổng hợp trên trang phân tích của cửa hàng: {days} ngày.", "The totals on the shop's insights page: {days} days.";
    kept_orders: "Đơn hàng: trong thời hạn pháp luật kế toán yêu cầu (10 năm ở Việt Nam).", "Orders: as long as accounting law asks (10 years in Vietnam).";
    stored_heading: "Lưu ở đâu", "Where it is stored";
    stored_server: "Trên máy chủ của cửa hàng và trong cơ sở dữ liệu của nó.", "On the shop's own server and in its database.";
    stored_aws: "Tại Amazon Web Services: nhật ký trong Amazon CloudWatch Logs, đơn hàng và tài khoản trong cơ sở dữ liệu của cửa hàng (Amazon RDS), ảnh sản phẩm trong Amazon S3.", "At Amazon Web Services: the logs in Amazon CloudWatch Logs, orders and accounts in the shop's database (Amazon RDS), product images in Amazon S3.";
    rights_heading: "Dữ liệu của bạn", "Your data";
    rights_text: "Khi đã đăng nhập, bạn có thể tải về dữ liệu của mình hoặc xóa tài khoản trên trang tài khoản. Đơn hàng được giữ lại cho sổ sách, với họ tên, email, số điện thoại và địa chỉ bị xóa.", "Signed in, you can download your data or delete your account on your account page. Orders are kept for the books, with the name, email, phone and address erased.";
    change_heading: "Thay đổi lựa chọn", "Changing your choice";
    change_text: "Bạn có thể đồng ý, từ chối hoặc rút lại sự đồng ý bất cứ lúc nào trên trang này. Lựa chọn được ghi nhớ trong trình duyệt này trong {days} ngày.", "You can accept, refuse or withdraw at any time on this page. The choice is remembered in this browser for {days} days.";
}
