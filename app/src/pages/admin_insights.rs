//! The admins' insights (`/admin/insights?range=7d`): the funnel, sessions, orders
//! and revenue per day, the products shoppers look at and buy, from the shop's own
//! clickstream. The charts are SVG drawn with the page (no chart script); each has
//! its numbers beside it as a table, and its series differ by shape and line, not
//! colour alone.

use crate::api::load_insights;
use crate::i18n::{href, locale};
use crate::pages::admin_products::{AdminNav, AdminRefusal};
use jewelry::insights::{MIN_VIEWS_FOR_RATE, ProductFigures, Range, Report, SourceDimension, SourceFigures, percent};
use jewelry::text::admin::{Words, words};
use jewelry::text::fill;
use jewelry::{Locale, PriceFormat};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A range's name in the page's words.
fn range_label(range: Range, w: &Words) -> &'static str {
    match range {
        Range::Today => w.range_today,
        Range::Week => w.range_week,
        Range::Month => w.range_month,
    }
}

/// A `YYYY-MM-DD` day as `locale` writes it (`7/12/2026`, `Dec 7, 2026`); as it
/// is if it is not one.
fn day(locale: Locale, iso: &str) -> String {
    let date = || {
        let (year, rest) = iso.split_once('-')?;
        let (month, day) = rest.split_once('-')?;
        let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
        time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
    };
    date().map_or_else(|| iso.to_owned(), |date| locale.format_date(date))
}

/// A share as `locale` writes it (`42.5%`, `42,5%`), or an en dash when there is none.
fn share(locale: Locale, value: Option<f64>) -> String {
    percent(value).replace('.', &locale.decimal_separator().to_string())
}

#[component]
pub fn AdminInsightsPage() -> impl IntoView {
    let w = words(locale());
    let loading = jewelry::text::common::words(locale()).loading;
    let query = use_query_map();
    let range = Memo::new(move |_| Range::parse(&query.read().get("range").unwrap_or_default()));
    let report = Resource::new(move || range.get(), |range| load_insights(range.as_str().to_owned()));
    view! {
        <Title text=w.insights_title/>
        <section class="admin-page insights" aria-labelledby="insights-heading">
            <AdminNav/>
            <div class="admin-header">
                <h1 id="insights-heading">{w.insights}</h1>
                <nav class="range-nav" aria-label=w.range_label>
                    {Range::ALL
                        .into_iter()
                        .map(|r| {
                            view! {
                                <a
                                    href=href(&format!("/admin/insights?range={}", r.as_str()))
                                    aria-current=move || (range.get() == r).then_some("page")
                                >
                                    {range_label(r, w)}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
            </div>
            <Suspense fallback=move || view! { <p class="loading">{loading}</p> }>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(report) => Either::Left(view! { <InsightsTables report/> }),
                        Err(error) => {
                            Either::Right(view! { <AdminRefusal error return_to="/admin/insights".to_owned()/> })
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn InsightsTables(report: Report) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let locale = locale();
    let w = words(locale);
    let (from, to) = (day(locale, &report.from), day(locale, &report.to));
    let span = if report.from == report.to { from } else { fill(w.insights_from_to, &[("from", &from), ("to", &to)]) };
    view! {
        <p class="insights-span">{fill(w.insights_span, &[("span", &span), ("zone", &report.time_zone)])}</p>
        <p class="insights-span">{w.insights_consent_note}</p>
        <ul class="admin-figures" aria-label=w.totals_label>
            <li>
                <span class="figure">{locale.group_digits(report.page_requests.iter().sum::<u64>())}</span>
                {w.pages_figure}
            </li>
            <li>
                <span class="figure">{locale.group_digits(report.total_sessions())}</span>
                {w.sessions_figure}
            </li>
            <li>
                <span class="figure">{locale.group_digits(report.total_orders())}</span>
                {w.orders_figure}
            </li>
            <li>
                <span class="figure">{prices.show(report.total_revenue())}</span>
                {w.revenue_figure}
            </li>
            <li>
                <span class="figure">{share(locale, report.cart_abandonment())}</span>
                {w.abandoned_figure}
            </li>
        </ul>
        <AfterPlacing report=report.clone()/>
        <Funnel report=report.clone()/>
        <PerDay report=report.clone()/>
        <Sources report=report.clone()/>
        <TopProducts report/>
    }
}

/// Sessions, checkouts, orders and revenue by where the sessions came from: one
/// table per way of grouping them.
#[component]
fn Sources(report: Report) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let locale = locale();
    let w = words(locale);
    let table = move |dimension: SourceDimension, rows: Vec<SourceFigures>| {
        let (id, heading) = match dimension {
            SourceDimension::SourceMedium => ("by-source-medium", w.by_source_medium),
            SourceDimension::Campaign => ("by-campaign", w.by_campaign),
            SourceDimension::ReferringSite => ("by-referrer", w.by_referrer),
        };
        let body = if rows.is_empty() {
            Either::Left(view! { <p>{w.sources_empty}</p> })
        } else {
            let rows = rows
                .into_iter()
                .map(|row| {
                    view! {
                        <tr>
                            <th scope="row">{row.key.unwrap_or_else(|| w.source_none.to_owned())}</th>
                            <td>{locale.group_digits(row.sessions)}</td>
                            <td>{locale.group_digits(row.checkouts)}</td>
                            <td>{locale.group_digits(row.orders)}</td>
                            <td>{prices.show(row.revenue)}</td>
                        </tr>
                    }
                })
                .collect_view();
            Either::Right(view! {
                <table class="orders-table" aria-labelledby=id>
                    <thead>
                        <tr>
                            <th scope="col">{heading}</th>
                            <th scope="col">{w.column_sessions}</th>
                            <th scope="col">{w.column_checkouts}</th>
                            <th scope="col">{w.column_orders}</th>
                            <th scope="col">{w.column_revenue}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            })
        };
        view! {
            <section class="insight-sources" aria-labelledby=id data-dimension=id>
                <h3 id=id>{heading}</h3>
                {body}
            </section>
        }
    };
    view! {
        <h2>{w.sources_heading}</h2>
        <p class="chart-note">{w.sources_note}</p>
        {report.sources.into_iter().map(|(dimension, rows)| table(dimension, rows)).collect_view()}
    }
}

/// The funnel: one bar per step, its length the sessions that reached it.
#[component]
fn Funnel(report: Report) -> impl IntoView {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 150.0;
    const ROW: f64 = 34.0;
    let locale = locale();
    let w = words(locale);
    let first = report.funnel.first().map_or(0, |s| s.sessions).max(1) as f64;
    let height = ROW * report.funnel.len() as f64;
    let bars = report
        .funnel
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let y = i as f64 * ROW;
            let length = (WIDTH - LABEL - 70.0) * step.sessions as f64 / first;
            view! {
                <text x="0" y=y + 21.0 class="chart-label">{step.event.as_str()}</text>
                <rect x=LABEL y=y + 6.0 width=format!("{length:.1}") height=ROW - 12.0 class="chart-bar"></rect>
                <text x=LABEL + length + 6.0 y=y + 21.0 class="chart-value">{locale.group_digits(step.sessions)}</text>
            }
        })
        .collect_view();
    let rows = report
        .funnel
        .iter()
        .enumerate()
        .map(|(i, step)| {
            view! {
                <tr>
                    <th scope="row">{step.event.as_str()}</th>
                    <td>{locale.group_digits(step.sessions)}</td>
                    <td>{share(locale, report.step_conversion(i))}</td>
                    <td>{share(locale, report.overall_conversion(i))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" aria-labelledby="funnel-caption">
            <figcaption id="funnel-caption">
                <h2>{w.funnel_heading}</h2>
                {w.funnel_caption}
            </figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") class="chart-svg" aria-hidden="true" focusable="false">
                {bars}
            </svg>
            <table class="orders-table chart-table">
                <thead>
                    <tr>
                        <th scope="col">{w.column_step}</th>
                        <th scope="col">{w.column_sessions}</th>
                        <th scope="col">{w.column_from_previous}</th>
                        <th scope="col">{w.column_from_first}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

/// One line of a [`LineChart`]: solid with round marks, or dashed with square ones.
struct Series {
    values: Vec<f64>,
    dashed: bool,
}

/// The points of `series` over `count` days in a `width` × `height` box with
/// `pad` around, scaled to `top`.
fn points(series: &Series, width: f64, height: f64, pad: f64, top: f64) -> Vec<(f64, f64)> {
    let n = series.values.len();
    let step = if n > 1 { (width - 2.0 * pad) / (n - 1) as f64 } else { 0.0 };
    series
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = if n > 1 { pad + i as f64 * step } else { width / 2.0 };
            (x, height - pad - v / top * (height - 2.0 * pad))
        })
        .collect()
}

#[component]
fn LineChart(series: Vec<Series>, first: String, last: String, top_label: String, top: f64) -> impl IntoView {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 180.0;
    const PAD: f64 = 24.0;
    let lines = series
        .iter()
        .map(|s| {
            let points = points(s, WIDTH, HEIGHT, PAD, top);
            let path = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
            let marks = points
                .iter()
                .map(|&(x, y)| {
                    if s.dashed {
                        Either::Left(
                            view! { <rect x=x - 3.5 y=y - 3.5 width="7" height="7" class="chart-mark"></rect> },
                        )
                    } else {
                        Either::Right(view! { <circle cx=x cy=y r="4" class="chart-mark"></circle> })
                    }
                })
                .collect_view();
            view! {
                <polyline
                    points=path
                    class="chart-line"
                    stroke-dasharray=if s.dashed { "6 4" } else { "none" }
                ></polyline>
                {marks}
            }
        })
        .collect_view();
    view! {
        <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") class="chart-svg" aria-hidden="true" focusable="false">
            <line x1=PAD y1=HEIGHT - PAD x2=WIDTH - PAD y2=HEIGHT - PAD class="chart-axis"></line>
            <line x1=PAD y1=PAD x2=WIDTH - PAD y2=PAD class="chart-grid"></line>
            <text x=PAD y=PAD - 8.0 class="chart-value">{top_label}</text>
            <text x=PAD y=HEIGHT - 6.0 class="chart-label">{first}</text>
            <text x=WIDTH - PAD y=HEIGHT - 6.0 text-anchor="end" class="chart-label">{last}</text>
            {lines}
        </svg>
    }
}

/// Orders delivered, cancelled and returned over the range, apart from those placed.
#[component]
fn AfterPlacing(report: Report) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let locale = locale();
    let w = words(locale);
    let [delivered, cancelled, returned] = report.after_placing();
    let rows = [(w.insights_delivered, delivered), (w.insights_cancelled, cancelled), (w.insights_returned, returned)];
    view! {
        <h2 id="after-heading">{w.insights_after}</h2>
        <p class="chart-note">{w.insights_after_note}</p>
        <table class="orders-table" aria-labelledby="after-heading" data-testid="after-placing">
            <thead>
                <tr>
                    <th scope="col">{w.column_status}</th>
                    <th scope="col">{w.orders_heading}</th>
                    <th scope="col">{w.column_revenue}</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(label, (count, amount))| {
                        view! {
                            <tr>
                                <th scope="row">{label}</th>
                                <td>{locale.group_digits(count)}</td>
                                <td>{prices.show(amount)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// Sessions and orders per day, then revenue per day, with the days' table.
#[component]
fn PerDay(report: Report) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let locale = locale();
    let w = words(locale);
    let sessions: Vec<f64> = report.days.iter().map(|d| d.sessions as f64).collect();
    let orders: Vec<f64> = report.days.iter().map(|d| d.orders as f64).collect();
    let revenue: Vec<f64> = report.days.iter().map(|d| d.revenue.as_units(prices.currency)).collect();
    let top_count = sessions.iter().chain(&orders).copied().fold(1.0, f64::max);
    let top_revenue = revenue.iter().copied().fold(1.0, f64::max);
    let first = day(locale, &report.from);
    let last = day(locale, &report.to);
    let top_revenue_label = prices.show(report.days.iter().map(|d| d.revenue).max().unwrap_or_default());
    let rows = report
        .days
        .iter()
        .zip(report.page_requests.iter().copied().chain(std::iter::repeat(0)))
        .map(|(d, pages)| {
            view! {
                <tr>
                    <th scope="row">{day(locale, &d.date)}</th>
                    <td>{locale.group_digits(pages)}</td>
                    <td>{locale.group_digits(d.sessions)}</td>
                    <td>{locale.group_digits(d.orders)}</td>
                    <td>{prices.show(d.revenue)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" aria-labelledby="days-caption">
            <figcaption id="days-caption">
                <h2>{w.per_day_heading}</h2>
                <span class="legend">
                    <span class="legend-solid" aria-hidden="true"></span>
                    {w.legend_sessions}
                    <span class="legend-dashed" aria-hidden="true"></span>
                    {w.legend_orders}
                </span>
            </figcaption>
            <LineChart
                series=vec![Series { values: sessions, dashed: false }, Series { values: orders, dashed: true }]
                first=first.clone()
                last=last.clone()
                top_label=locale.group_digits(top_count as u64)
                top=top_count
            />
            <p class="chart-note">{w.revenue_per_day}</p>
            <LineChart
                series=vec![Series { values: revenue, dashed: false }]
                first
                last
                top_label=top_revenue_label
                top=top_revenue
            />
            <table class="orders-table chart-table">
                <thead>
                    <tr>
                        <th scope="col">{w.column_day}</th>
                        <th scope="col">{w.column_pages}</th>
                        <th scope="col">{w.column_sessions}</th>
                        <th scope="col">{w.column_orders}</th>
                        <th scope="col">{w.column_revenue}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

#[component]
fn TopProducts(report: Report) -> impl IntoView {
    let locale = locale();
    let w = words(locale);
    let list = |title: &'static str, id: &'static str, products: Vec<&ProductFigures>| {
        if products.is_empty() {
            return Either::Left(view! {
                <section class="top-products" aria-labelledby=id>
                    <h3 id=id>{title}</h3>
                    <p class="chart-note">{w.top_none}</p>
                </section>
            });
        }
        let rows = products
            .into_iter()
            .map(|p| {
                view! {
                    <tr>
                        <th scope="row">
                            <a href=href(&format!("/admin/products/{}/edit", p.product_id))>{p.label(locale).to_owned()}</a>
                        </th>
                        <td>{locale.group_digits(p.views)}</td>
                        <td>{locale.group_digits(p.adds)}</td>
                        <td>{share(locale, p.view_to_cart())}</td>
                    </tr>
                }
            })
            .collect_view();
        Either::Right(view! {
            <section class="top-products" aria-labelledby=id>
                <h3 id=id>{title}</h3>
                <table class="orders-table">
                    <thead>
                        <tr>
                            <th scope="col">{w.column_product}</th>
                            <th scope="col">{w.column_views}</th>
                            <th scope="col">{w.column_adds}</th>
                            <th scope="col">{w.column_view_to_cart}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        })
    };
    view! {
        <h2>{w.products}</h2>
        {if report.products.is_empty() {
            Either::Left(view! { <p>{w.no_product_viewed}</p> })
        } else {
            Either::Right(view! {
                <div class="top-lists">
                    {list(w.top_viewed, "top-viewed", report.top_viewed())}
                    {list(w.top_added, "top-added", report.top_added())}
                    {list(w.top_rate, "top-rate", report.top_view_to_cart())}
                </div>
                <p class="chart-note">{fill(w.rate_note, &[("n", &locale.group_digits(MIN_VIEWS_FOR_RATE))])}</p>
            })
        }}
        <VariantBreakdown report/>
    }
}

/// Each product's variants' figures (the products with more than their one
/// default variant counted), a disclosure per product, most viewed first.
#[component]
fn VariantBreakdown(report: Report) -> impl IntoView {
    let locale = locale();
    let w = words(locale);
    let mut products: Vec<&str> = Vec::new();
    for v in &report.variants {
        if !products.contains(&v.product_id.as_str()) {
            products.push(&v.product_id);
        }
    }
    let sections = products
        .into_iter()
        .filter_map(|product_id| {
            let variants = report.variants_of(product_id);
            // A product without options has one variant, its own: nothing to open.
            if variants.len() < 2 && variants.iter().all(|v| v.variant_id == product_id) {
                return None;
            }
            let name = report
                .products
                .iter()
                .find(|p| p.product_id == product_id)
                .map_or(product_id.to_owned(), |p| p.label(locale).to_owned());
            let rows = variants
                .iter()
                .map(|v| {
                    view! {
                        <tr>
                            <th scope="row">{v.sku.clone().unwrap_or_else(|| v.variant_id.clone())}</th>
                            <td>{locale.group_digits(v.views)}</td>
                            <td>{locale.group_digits(v.adds)}</td>
                            <td>{locale.group_digits(v.sold)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let summary = fill(w.variants_of, &[("name", &name), ("n", &variants.len())]);
            Some(view! {
                <details class="variant-figures">
                    <summary>{summary}</summary>
                    <table class="orders-table">
                        <thead>
                            <tr>
                                <th scope="col">{w.column_sku}</th>
                                <th scope="col">{w.column_views}</th>
                                <th scope="col">{w.column_adds}</th>
                                <th scope="col">{w.column_sold}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </details>
            })
        })
        .collect::<Vec<_>>();
    (!sections.is_empty()).then(|| {
        view! {
            <section class="by-variant" aria-labelledby="by-variant">
                <h3 id="by-variant">{w.by_variant}</h3>
                <p class="chart-note">{w.by_variant_note}</p>
                {sections}
            </section>
        }
    })
}
