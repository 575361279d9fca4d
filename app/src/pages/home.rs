use crate::api::load_home;
use crate::components::notice::ErrorNotice;
use crate::components::product::{ProductCard, pieces};
use crate::components::seo::{ShareTags, site_origin};
use crate::error::ErrorWords;
use crate::i18n::{href, locale};
use jewelry::catalog::HomePage as HomeData;
use jewelry::text::{common, store};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

const HERO_IMAGE: &str = "/images/categories/necklaces.svg";

#[component]
pub fn HomePage() -> impl IntoView {
    let locale = locale();
    let w = store::words(locale);
    let loading = common::words(locale).loading;
    let home = Resource::new(|| (), |_| load_home());
    view! {
        <Title text=w.home_title/>
        <Meta name="description" content=w.home_description/>
        <section class="hero">
            <div class="hero-text">
                <p class="eyebrow">{w.home_eyebrow}</p>
                <h1>{w.home_heading}</h1>
                <p class="lede">{w.home_lede}</p>
                <p>
                    <a class="button" href=href("/catalog")>{w.home_shop_collection}</a>
                    <a class="button button-ghost" href=href("/catalog?sort=newest")>{w.home_new_arrivals}</a>
                </p>
            </div>
            <img
                class="hero-image"
                src=HERO_IMAGE
                alt=w.home_hero_alt
                width="420"
                height="420"
            />
        </section>
        <Suspense fallback=move || view! { <p class="loading">{loading}</p> }>
            {move || Suspend::new(async move {
                let base = site_origin().await;
                let content = match home.await {
                    Ok(data) => Either::Left(view! { <HomeSections data/> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error words=ErrorWords::new(locale)/> }),
                };
                view! {
                    <ShareTags
                        base
                        path="/".to_owned()
                        title=w.home_title.to_owned()
                        description=w.home_description.to_owned()
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
    let locale = locale();
    let w = store::words(locale);
    view! {
        <section class="section" aria-labelledby="categories-heading">
            <h2 id="categories-heading">{w.shop_by_category}</h2>
            <ul class="category-grid">
                {data
                    .categories
                    .into_iter()
                    .map(|c| {
                        let href = href(&format!("/catalog?category={}", c.id));
                        let image = format!("/images/categories/{}.svg", c.id);
                        let count = pieces(c.product_count, locale);
                        view! {
                            <li class="category-tile">
                                <a href=href>
                                    <img src=image alt="" width="300" height="300" loading="lazy"/>
                                    <span class="category-name">{c.name.get(locale).to_owned()}</span>
                                    <span class="category-count">{count}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section class="section" aria-labelledby="featured-heading">
            <h2 id="featured-heading">{w.featured_pieces}</h2>
            <div class="product-grid">
                {data.featured.into_iter().map(|product| view! { <ProductCard product/> }).collect_view()}
            </div>
        </section>
    }
}
