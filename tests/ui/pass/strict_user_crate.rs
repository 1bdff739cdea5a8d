//! Every macro's output names what it uses by full path, so it builds in a
//! module without the prelude (as serde's and clap's derives do), and
//! trips none of the allow-by-default lints strict crates deny.
#![deny(
    single_use_lifetimes,
    unused_qualifications,
    unused_results,
    trivial_casts,
    trivial_numeric_casts,
    elided_lifetimes_in_paths,
    unused_lifetimes,
    redundant_lifetimes,
    unsafe_code
)]

mod attributes {
    #![no_implicit_prelude]

    #[derive(::growthbook::Attributes)]
    #[growthbook(schema = "../../../../features.json")]
    pub struct User<'a> {
        pub id: &'a str,
        pub country: ::core::option::Option<&'a str>,
        pub tags: ::std::vec::Vec<&'a str>,
        pub plan: Tier,
        pub company: Company,
    }

    #[derive(::growthbook::Attributes)]
    pub struct Company {
        pub size: u32,
    }

    #[derive(::growthbook::Attributes, Clone, Copy)]
    pub enum Tier {
        Free,
        Pro,
        Enterprise,
    }
}

mod features {
    #![no_implicit_prelude]

    #[derive(Default, ::serde::Deserialize, ::growthbook::FeatureValue)]
    #[serde(rename_all = "camelCase")]
    pub struct Pricing {
        pub currency: ::std::string::String,
        pub tiers: ::std::vec::Vec<u32>,
        pub trial_days: u32,
    }

    #[derive(::growthbook::Features)]
    #[growthbook(schema = "../../../../features.json")]
    pub struct Flags {
        pub button_color: ::std::string::String,
        pub max_cart_items: u32,
        pub pricing_config: Pricing,
    }
}

mod generated {
    #![no_implicit_prelude]

    ::growthbook::include_features!(pub AppFlags, "../../../../features.json");
    ::growthbook::include_attributes!(pub Visitor, "../../../../attributes.json");
}

fn main() {
    let template = growthbook::GrowthBook::builder()
        .features_json(&serde_json::from_str(include_str!("../../../features.json")).unwrap())
        .unwrap()
        .build();
    let user = attributes::User {
        id: "u_1001",
        country: Some("FR"),
        tags: vec!["student"],
        plan: attributes::Tier::Enterprise,
        company: attributes::Company { size: 10 },
    };
    let gb = template.with_typed_attributes(&user);
    assert_eq!(gb.attributes_json()["plan"], "enterprise");
    assert_eq!(gb.features::<features::Flags>().button_color(), "bleu");
    assert_eq!(gb.features::<generated::AppFlags>().button_color(), "bleu");
    let visitor = generated::Visitor {
        id: Some("u_1001"),
        ..Default::default()
    };
    assert_eq!(
        template.with_typed_attributes(visitor).attributes_json()["id"],
        "u_1001"
    );
}
