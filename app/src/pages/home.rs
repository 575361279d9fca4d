use crate::api::load_home;
use crate::components::notice::ErrorNotice;
use crate::components::product::ProductCard;
use crate::components::seo::{ShareTags, site_origin};
use jewelry::catalog::HomePage as HomeData;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

const TITLE: &str = "Fine jewelry, delivered";
const DESCRIPTION: &str = "Rings, necklaces, earrings and bracelets in gold, platinum and silver, with diamonds, pearls and precious stones. Free insured delivery, cash on delivery.";
const HERO_IMAGE: &str = "/images/categories/necklaces.svg";

#[component]
pub fn HomePage() -> impl IntoView {
    let home = Resource::new(|| (), |_| load_home());
    view! {
        <Title text=TITLE/>
        <Meta name="description" content=DESCRIPTION/>
        <section class="hero">
            <div class="hero-text">
                <p class="eyebrow">"New season"</p>
                <h1>"Jewelry made to be worn every day"</h1>
                <p class="lede">
                    "Solid gold, platinum and sterling silver, set with ethically sourced stones. Free insured delivery and 30-day returns."
                </p>
                <p>
                    <a class="button" href="/catalog">"Shop the collection"</a>
                    <a class="button button-ghost" href="/catalog?sort=newest">"New arrivals"</a>
                </p>
            </div>
            <img
                class="hero-image"
                src=HERO_IMAGE
                alt="Three necklaces: a pearl strand, a diamond pendant and an amethyst trio"
                width="420"
                height="420"
            />
        </section>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let base = site_origin().await;
                let content = match home.await {
                    Ok(data) => Either::Left(view! { <HomeSections data/> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error/> }),
                };
                view! {
                    <ShareTags
                        base
                        path="/".to_owned()
                        title=TITLE.to_owned()
                        description=DESCRIPTION.to_owned()
                        image=Some(HERO_IMAGE.to_owned())
                    />
                    {content}
                }
            })}
        </Suspense>
    }
}

#[component]
fn HomeSections(data: HomeData) -> impl IntoView {
    view! {
        <section class="section" aria-labelledby="categories-heading">
            <h2 id="categories-heading">"Shop by category"</h2>
            <ul class="category-grid">
                {data
                    .categories
                    .into_iter()
                    .map(|c| {
                        let href = format!("/catalog?category={}", c.id);
                        let image = format!("/images/categories/{}.svg", c.id);
                        view! {
                            <li class="category-tile">
                                <a href=href>
                                    <img src=image alt="" width="300" height="300" loading="lazy"/>
                                    <span class="category-name">{c.name}</span>
                                    <span class="category-count">{format!("{} pieces", c.product_count)}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="section" aria-labelledby="featured-heading">
            <h2 id="featured-heading">"Featured pieces"</h2>
            <div class="product-grid">
                {data.featured.into_iter().map(|product| view! { <ProductCard product/> }).collect_view()}
            </div>
        </section>
    }
}
