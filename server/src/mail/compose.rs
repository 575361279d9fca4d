//! An order's email as the shopper reads it: its subject, plain text and HTML, in
//! the language the order was placed in, amounts in the order's currency, its
//! lines, and a link to the order's page.

use jewelry::fulfilment::OrderStatus;
use jewelry::text::{fill, order};
use jewelry::{Currency, Locale, Money};

/// Which email: one per order and kind (the outbox holds each once).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmailKind {
    Placed,
    Confirmed,
    Shipped,
    Delivered,
    Cancelled,
}

impl EmailKind {
    /// As the outbox stores it and the logs name it.
    pub fn as_str(self) -> &'static str {
        match self {
            EmailKind::Placed => "order_placed",
            EmailKind::Confirmed => "order_confirmed",
            EmailKind::Shipped => "order_shipped",
            EmailKind::Delivered => "order_delivered",
            EmailKind::Cancelled => "order_cancelled",
        }
    }

    /// The email a move to `status` sends, if any (a return sends none: the
    /// shopper brought the piece back themselves).
    pub fn after(status: OrderStatus) -> Option<EmailKind> {
        match status {
            OrderStatus::Placed => Some(EmailKind::Placed),
            OrderStatus::Confirmed => Some(EmailKind::Confirmed),
            OrderStatus::Shipped => Some(EmailKind::Shipped),
            OrderStatus::Delivered => Some(EmailKind::Delivered),
            OrderStatus::Cancelled => Some(EmailKind::Cancelled),
            OrderStatus::Returned => None,
        }
    }
}

/// What an email says of its order.
pub struct EmailOrder {
    pub id: String,
    pub full_name: String,
    pub total: Money,
    pub currency: Currency,
    /// Name, options (empty without), quantity and the line's total.
    pub lines: Vec<(String, String, i64, Money)>,
    /// Carrier and tracking number, once shipped.
    pub shipment: Option<(String, String)>,
    /// The order's page.
    pub link: String,
}

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The email of `kind` for `order`, in `locale`.
pub fn compose(kind: EmailKind, order: &EmailOrder, locale: Locale) -> Composed {
    let w = order::words(locale);
    let id = order.id.as_str();
    let money = |amount: Money| amount.format(order.currency, locale);
    let (subject, intro) = match kind {
        EmailKind::Placed => (w.email_placed_subject, w.email_placed_intro),
        EmailKind::Confirmed => (w.email_confirmed_subject, w.email_confirmed_intro),
        EmailKind::Shipped => (w.email_shipped_subject, w.email_shipped_intro),
        EmailKind::Delivered => (w.email_delivered_subject, w.email_delivered_intro),
        EmailKind::Cancelled => (w.email_cancelled_subject, w.email_cancelled_intro),
    };
    // Vietnamese greets by the whole name (the given name comes last); English by the first.
    let name = match locale {
        Locale::Vi => order.full_name.trim().to_owned(),
        Locale::En => order.full_name.split_whitespace().next().unwrap_or_default().to_owned(),
    };
    let subject = fill(subject, &[("id", &id)]);
    let greeting = fill(w.email_greeting, &[("name", &name)]);
    let intro = fill(intro, &[("id", &id)]);
    let shipment = order
        .shipment
        .as_ref()
        .filter(|_| kind == EmailKind::Shipped)
        .map(|(carrier, tracking)| fill(w.order_tracking, &[("carrier", carrier), ("tracking", tracking)]));
    let pay = matches!(kind, EmailKind::Placed | EmailKind::Confirmed | EmailKind::Shipped)
        .then(|| fill(w.email_pay_on_delivery, &[("total", &money(order.total))]));
    let line_text = |(name, options, quantity, total): &(String, String, i64, Money)| {
        let options = if options.is_empty() { String::new() } else { format!(" ({options})") };
        format!("- {name}{options} × {quantity}: {}", money(*total))
    };

    let mut text = vec![greeting.clone(), String::new(), intro.clone()];
    text.extend(shipment.clone());
    text.push(String::new());
    text.extend(order.lines.iter().map(line_text));
    text.push(format!("{}: {}", w.total, money(order.total)));
    text.extend(pay.clone());
    text.push(String::new());
    text.push(fill(w.email_view_order, &[("url", &order.link)]));
    text.push(String::new());
    text.push(format!("-- \n{}", w.email_footer));
    let text = text.join("\r\n") + "\r\n";

    let e = |s: &str| html_escape::encode_text(s).into_owned();
    let rows: String = order
        .lines
        .iter()
        .map(|(name, options, quantity, total)| {
            let options = if options.is_empty() {
                String::new()
            } else {
                format!("<br><span style=\"color:#6b5e55\">{}</span>", e(options))
            };
            format!(
                "<tr><td style=\"padding:6px 0\">{}{options}</td><td style=\"padding:6px 12px\">× {quantity}</td>\
                 <td style=\"padding:6px 0;text-align:right\">{}</td></tr>",
                e(name),
                e(&money(*total))
            )
        })
        .collect();
    let paragraph = |s: &Option<String>| s.as_ref().map(|s| format!("<p>{}</p>", e(s))).unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{subject}</title></head>\
         <body style=\"font-family:Georgia,serif;color:#2b2320;max-width:560px;margin:0 auto;padding:24px\">\
         <p>{greeting}</p><p>{intro}</p>{shipment}\
         <table style=\"width:100%;border-collapse:collapse;margin:16px 0\">{rows}\
         <tr><th style=\"text-align:left;padding-top:12px;border-top:1px solid #d8cfc7\" colspan=\"2\">{total_label}</th>\
         <td style=\"text-align:right;padding-top:12px;border-top:1px solid #d8cfc7\"><strong>{total}</strong></td></tr></table>\
         {pay}<p><a href=\"{link}\" style=\"color:#8a4b2d\">{view}</a></p>\
         <p style=\"color:#6b5e55;font-size:13px\">{footer}</p></body></html>",
        lang = locale.code(),
        subject = e(&subject),
        greeting = e(&greeting),
        intro = e(&intro),
        shipment = paragraph(&shipment),
        total_label = e(w.total),
        total = e(&money(order.total)),
        pay = paragraph(&pay),
        link = html_escape::encode_double_quoted_attribute(&order.link),
        view = e(w.email_view_order_button),
        footer = e(w.email_footer),
    );
    Composed { subject, text, html }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> EmailOrder {
        EmailOrder {
            id: "JW-8K2M4Q7X1Z".into(),
            full_name: "Nguyễn Thị <Ada>".into(),
            total: Money::from_minor(24_500_000),
            currency: Currency::Vnd,
            lines: vec![(
                "Blush Eternity Band".into(),
                "Ring size: 12, Metal: Platinum".into(),
                1,
                Money::from_minor(24_500_000),
            )],
            shipment: Some(("Giao Hàng Nhanh".into(), "GHN-1".into())),
            link: "https://shop.example/en/orders/JW-8K2M4Q7X1Z?a=1&b=2".into(),
        }
    }

    #[test]
    fn a_confirmation_names_the_order_its_lines_total_and_link_in_the_orders_language() {
        let en = compose(EmailKind::Placed, &order(), Locale::En);
        assert_eq!(en.subject, "Your Lumen Jewelry order JW-8K2M4Q7X1Z");
        assert!(en.text.contains("Hello Nguyễn,"), "{}", en.text);
        assert!(en.text.contains("Ring size: 12, Metal: Platinum"));
        assert!(en.text.contains("24,500,000"), "{}", en.text);
        assert!(en.text.contains("https://shop.example/en/orders/JW-8K2M4Q7X1Z"));
        assert!(!en.text.contains("GHN-1"), "the tracking number is the shipping email's");
        let vi = compose(EmailKind::Placed, &order(), Locale::Vi);
        assert_eq!(vi.subject, "Lumen Jewelry đã nhận đơn hàng JW-8K2M4Q7X1Z");
        assert!(vi.text.contains("Xin chào Nguyễn Thị <Ada>,"));
        assert!(vi.text.contains("24.500.000"), "{}", vi.text);
    }

    #[test]
    fn the_html_escapes_what_the_shopper_typed() {
        let html = compose(EmailKind::Shipped, &order(), Locale::Vi).html;
        assert!(html.contains("Nguyễn Thị &lt;Ada&gt;"), "{html}");
        assert!(!html.contains("<Ada>"));
        assert!(html.contains("href=\"https://shop.example/en/orders/JW-8K2M4Q7X1Z?a=1&amp;b=2\""), "{html}");
        assert!(html.contains("GHN-1"), "the shipping email carries the tracking number");
    }

    #[test]
    fn moves_send_the_emails_the_shopper_needs() {
        let sent: Vec<_> = OrderStatus::ALL.into_iter().filter_map(EmailKind::after).map(EmailKind::as_str).collect();
        assert_eq!(sent, ["order_placed", "order_confirmed", "order_shipped", "order_delivered", "order_cancelled"]);
    }
}
