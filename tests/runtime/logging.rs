//! Misconfiguration is logged as a warning under the `growthbook` target.

use crate::instance;
use log::Level;
use serde_json::json;

#[path = "../common/log_capture.rs"]
mod log_capture;

fn captured() {
    log_capture::start();
}

fn logged_with(needle: &str) -> Vec<(Level, String, String)> {
    log_capture::with(needle)
        .into_iter()
        .map(|r| (r.level, r.target, r.message))
        .collect()
}

#[test]
fn misconfiguration_is_a_warning_on_the_growthbook_target() {
    captured();
    let payload = json!({"features": {
        "regex-flag": {"defaultValue": 0, "rules": [{"condition": {"name": {"$regex": "(unclosed-xyz"}}, "force": 1}]},
        "bad-rule": {"defaultValue": 0, "rules": [{"force": 1, "coverage": "most-xyz"}]}
    }});
    let gb = instance(&payload, json!({"id": "1", "name": "x"}));
    assert_eq!(gb.get_feature_value("regex-flag", 0), 0);
    assert_eq!(gb.get_feature_value("bad-rule", 0), 0);
    for needle in ["(unclosed-xyz", "bad-rule"] {
        let records = logged_with(needle);
        assert!(
            records
                .iter()
                .any(|(level, target, _)| *level == Level::Warn && target == "growthbook"),
            "no growthbook warning mentioning {needle:?}: {records:?}"
        );
    }
}

#[test]
fn decisions_are_debug_lines() {
    captured();
    let gb = instance(&json!({"features": {}}), json!({}));
    gb.eval_feature("no-such-feature-xyz");
    let records = logged_with("no-such-feature-xyz");
    assert!(
        records
            .iter()
            .any(|(level, target, _)| *level == Level::Debug && target == "growthbook"),
        "{records:?}"
    );
}

#[test]
fn a_value_that_does_not_fit_its_type_warns_once_naming_both_types() {
    captured();
    let gb = instance(
        &json!({"features": {"drifted-limit-xyz": {"defaultValue": "ten"}}}),
        json!({}),
    );
    static SLOT: growthbook::typed::KeySlot = growthbook::typed::KeySlot::new("drifted-limit-xyz");
    for _ in 0..3 {
        assert_eq!(growthbook::typed::get::<u32, _>(&gb, &SLOT, || 7), 7);
    }
    let records = logged_with("drifted-limit-xyz");
    assert_eq!(records.len(), 1, "{records:?}");
    let (level, target, message) = &records[0];
    assert_eq!((*level, target.as_str()), (Level::Warn, "growthbook"));
    assert!(
        message.contains("a string") && message.contains("`u32`"),
        "{message}"
    );
}
