//! Any bytes as a features payload: parsing, compiling and evaluating every
//! feature (for a few users) never panics.
#![no_main]

use growthbook::{FeatureSet, GrowthBook};
use libfuzzer_sys::fuzz_target;
use serde_json::json;
use std::sync::Arc;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(features) = FeatureSet::from_json_str(text) else { return };
    let features = Arc::new(features);
    let users = [
        json!({}),
        json!({"id": "u1", "country": "US", "age": 30, "tags": ["beta"], "version": "1.2.3"}),
        json!({"id": 42, "email": "a@example.com", "__gb_remoteGroupIds": ["g"]}),
    ];
    let keys: Vec<String> = features.keys().map(str::to_owned).collect();
    for attributes in users {
        let gb = GrowthBook::builder()
            .features(Arc::clone(&features))
            .attributes(attributes)
            .url("https://example.com/?exp=1")
            .build();
        for key in &keys {
            let _ = gb.eval_feature(key);
            let _ = gb.is_on(key);
        }
        for experiment in features.experiments() {
            let _ = gb.run(experiment);
        }
    }
});
