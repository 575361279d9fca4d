//! The admins' insights (`/admin/insights?range=7d`): the funnel, sessions, orders
//! and revenue per day, the products shoppers look at and buy, from the shop's own
//! clickstream. The charts are SVG drawn with the page (no chart script); each has
//! its numbers beside it as a table, and its series differ by shape and line, not
//! colour alone.

use crate::api::load_insights;
use crate::pages::admin_products::{AdminNav, AdminRefusal};
use jewelry::PriceFormat;
use jewelry::insights::{MIN_VIEWS_FOR_RATE, ProductFigures, Range, Report, percent};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminInsightsPage() -> impl IntoView {
    let query = use_query_map();
    let range = Memo::new(move |_| Range::parse(&query.read().get("range").unwrap_or_default()));
    let report = Resource::new(move || range.get(), |range| load_insights(range.as_str().to_owned()));
    view! {
        <Title text="Insights · Admin"/>
        <section class="admin-page insights" aria-labelledby="insights-heading">
            <AdminNav/>
            <div class="admin-header">
                <h1 id="insights-heading">"Insights"</h1>
                <nav class="range-nav" aria-label="Range">
                    {Range::ALL
                        .into_iter()
                        .map(|r| {
                            view! {
                                <a
                                    href=format!("/admin/insights?range={}", r.as_str())
                                    aria-current=move || (range.get() == r).then_some("page")
                                >
                                    {r.label()}
                                </a>
                            }
                        })
                        .collect_view()}
                </nav>
            </div>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
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
    let span = if report.from == report.to { report.from.clone() } else { format!("{} to {}", report.from, report.to) };
    view! {
        <p class="insights-span">
            {span} " (" {report.time_zone.clone()} "), shoppers only: bots and crawlers are left out."
        </p>
        <ul class="admin-figures" aria-label="Totals">
            <li>
                <span class="figure">{report.total_sessions()}</span>
                " sessions"
            </li>
            <li>
                <span class="figure">{report.total_orders()}</span>
                " orders"
            </li>
            <li>
                <span class="figure">{prices.show(report.total_revenue())}</span>
                " revenue"
            </li>
            <li>
                <span class="figure">{percent(report.cart_abandonment())}</span>
                " of checkouts abandoned"
            </li>
        </ul>
        <Funnel report=report.clone()/>
        <PerDay report=report.clone()/>
        <TopProducts report/>
    }
}

/// The funnel: one bar per step, its length the sessions that reached it.
#[component]
fn Funnel(report: Report) -> impl IntoView {
    const WIDTH: f64 = 640.0;
    const LABEL: f64 = 150.0;
    const ROW: f64 = 34.0;
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
                <text x=LABEL + length + 6.0 y=y + 21.0 class="chart-value">{step.sessions}</text>
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
                    <td>{step.sessions}</td>
                    <td>{percent(report.step_conversion(i))}</td>
                    <td>{percent(report.overall_conversion(i))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" aria-labelledby="funnel-caption">
            <figcaption id="funnel-caption">
                <h2>"Funnel"</h2>
                "Sessions by the furthest step they reached: each step counts the sessions that got at least that far."
            </figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") class="chart-svg" aria-hidden="true" focusable="false">
                {bars}
            </svg>
            <table class="orders-table chart-table">
                <thead>
                    <tr>
                        <th scope="col">"Step"</th>
                        <th scope="col">"Sessions"</th>
                        <th scope="col">"From the step before"</th>
                        <th scope="col">"From the first step"</th>
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

/// Sessions and orders per day, then revenue per day, with the days' table.
#[component]
fn PerDay(report: Report) -> impl IntoView {
    let prices = expect_context::<PriceFormat>();
    let sessions: Vec<f64> = report.days.iter().map(|d| d.sessions as f64).collect();
    let orders: Vec<f64> = report.days.iter().map(|d| d.orders as f64).collect();
    let revenue: Vec<f64> = report.days.iter().map(|d| d.revenue.as_units(prices.currency)).collect();
    let top_count = sessions.iter().chain(&orders).copied().fold(1.0, f64::max);
    let top_revenue = revenue.iter().copied().fold(1.0, f64::max);
    let first = report.from.clone();
    let last = report.to.clone();
    let top_revenue_label = prices.show(report.days.iter().map(|d| d.revenue).max().unwrap_or_default());
    let rows = report
        .days
        .iter()
        .map(|d| {
            view! {
                <tr>
                    <th scope="row">{d.date.clone()}</th>
                    <td>{d.sessions}</td>
                    <td>{d.orders}</td>
                    <td>{prices.show(d.revenue)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" aria-labelledby="days-caption">
            <figcaption id="days-caption">
                <h2>"Per day"</h2>
                <span class="legend">
                    <span class="legend-solid" aria-hidden="true"></span>
                    " sessions (solid, round marks) "
                    <span class="legend-dashed" aria-hidden="true"></span>
                    " orders (dashed, square marks)"
                </span>
            </figcaption>
            <LineChart
                series=vec![Series { values: sessions, dashed: false }, Series { values: orders, dashed: true }]
                first=first.clone()
                last=last.clone()
                top_label=format!("{top_count}")
                top=top_count
            />
            <p class="chart-note">"Revenue per day"</p>
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
                        <th scope="col">"Day"</th>
                        <th scope="col">"Sessions"</th>
                        <th scope="col">"Orders"</th>
                        <th scope="col">"Revenue"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

#[component]
fn TopProducts(report: Report) -> impl IntoView {
    let list = |title: &'static str, id: &'static str, products: Vec<&ProductFigures>| {
        if products.is_empty() {
            return Either::Left(view! {
                <section class="top-products" aria-labelledby=id>
                    <h3 id=id>{title}</h3>
                    <p class="chart-note">"None in this range yet."</p>
                </section>
            });
        }
        let rows = products
            .into_iter()
            .map(|p| {
                view! {
                    <tr>
                        <th scope="row">
                            <a href=format!("/admin/products/{}/edit", p.product_id)>{p.label().to_owned()}</a>
                        </th>
                        <td>{p.views}</td>
                        <td>{p.adds}</td>
                        <td>{percent(p.view_to_cart())}</td>
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
                            <th scope="col">"Product"</th>
                            <th scope="col">"Views"</th>
                            <th scope="col">"Adds to cart"</th>
                            <th scope="col">"View to cart"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        })
    };
    view! {
        <h2>"Products"</h2>
        {if report.products.is_empty() {
            Either::Left(view! { <p>"No product was viewed in this range."</p> })
        } else {
            Either::Right(view! {
                <div class="top-lists">
                    {list("Most viewed", "top-viewed", report.top_viewed())}
                    {list("Most added to carts", "top-added", report.top_added())}
                    {list("Best view-to-cart rate", "top-rate", report.top_view_to_cart())}
                </div>
                <p class="chart-note">
                    "The rate ranks products with at least " {MIN_VIEWS_FOR_RATE} " views in the range."
                </p>
            })
        }}
    }
}
