//! The provider through the real `open_feature` client API: every value
//! type, every error code, reasons, variants and metadata, exposures, and
//! readiness over a repository loading from a real server on 127.0.0.1.

use growthbook::remote::{FeatureRepository, RemoteOptions};
use growthbook::{FeatureSet, GrowthBook};
use growthbook_openfeature::GrowthBookProvider;
use open_feature::provider::{FeatureProvider, ProviderStatus};
use open_feature::{
    Client, EvaluationContext, EvaluationErrorCode, EvaluationReason, FlagMetadataValue,
    OpenFeature, StructValue, Value,
};
use serde_json::json;
use std::sync::{Arc, Mutex};

fn payload() -> serde_json::Value {
    json!({"features": {
        "dark-mode": {"defaultValue": false,
            "rules": [{"id": "fr-dark", "condition": {"country": "FR"}, "force": true}]},
        "max-items": {"defaultValue": 10,
            "rules": [{"condition": {"plan": "pro", "age": {"$gte": 18}}, "force": 50}]},
        "ratio": {"defaultValue": 1.5},
        "color": {"defaultValue": "blue",
            "rules": [{"id": "exp-rule", "key": "color-test", "variations": ["blue", "green"],
                       "weights": [0, 1], "meta": [{"key": "control"}, {"key": "treatment"}]}]},
        "config": {"defaultValue": {"layout": "grid", "steps": 3, "tags": ["a", 2.5]}},
        "gated": {"defaultValue": false,
            "rules": [{"parentConditions": [{"id": "dark-mode", "condition": {"value": true}, "gate": true}]},
                      {"force": true}]},
        "beta-list": {"defaultValue": false,
            "rules": [{"condition": {"company": {"$exists": true}, "company.size": {"$gt": 100}}, "force": true}]}
    }})
}

async fn register(provider: GrowthBookProvider) -> (OpenFeature, Client) {
    let mut api = OpenFeature::default();
    api.set_provider(provider).await;
    let client = api.create_client();
    (api, client)
}

fn fixed() -> GrowthBookProvider {
    GrowthBookProvider::new(Arc::new(FeatureSet::from_json(&payload()).unwrap()))
}

fn context(key: &str) -> EvaluationContext {
    EvaluationContext::default().with_targeting_key(key)
}

#[tokio::test]
async fn every_type_resolves_with_its_reason() {
    let (_api, client) = register(fixed()).await;
    let french = context("u1").with_custom_field("country", "FR");
    let details = client
        .get_bool_details("dark-mode", Some(&french), None)
        .await
        .unwrap();
    assert!(details.value);
    assert_eq!(details.reason, Some(EvaluationReason::TargetingMatch));
    assert_eq!(
        details.flag_metadata.values.get("ruleId"),
        Some(&FlagMetadataValue::String("fr-dark".into()))
    );
    let other = client
        .get_bool_details("dark-mode", Some(&context("u1")), None)
        .await
        .unwrap();
    assert!(!other.value);
    assert_eq!(other.reason, Some(EvaluationReason::Default));

    // Typed custom fields: a string and an integer.
    let pro = context("u2")
        .with_custom_field("plan", "pro")
        .with_custom_field("age", 30);
    assert_eq!(
        client
            .get_int_value("max-items", Some(&pro), None)
            .await
            .unwrap(),
        50
    );
    let minor = context("u2")
        .with_custom_field("plan", "pro")
        .with_custom_field("age", 12);
    assert_eq!(
        client
            .get_int_value("max-items", Some(&minor), None)
            .await
            .unwrap(),
        10
    );

    assert_eq!(
        client.get_float_value("ratio", None, None).await.unwrap(),
        1.5
    );
    // An integer is a number too.
    assert_eq!(
        client
            .get_float_value("max-items", None, None)
            .await
            .unwrap(),
        10.0
    );

    let split = client
        .get_string_details("color", Some(&context("u3")), None)
        .await
        .unwrap();
    assert_eq!(split.value, "green");
    assert_eq!(split.reason, Some(EvaluationReason::Split));
    assert_eq!(split.variant.as_deref(), Some("treatment"));
    assert_eq!(
        split.flag_metadata.values.get("experimentKey"),
        Some(&FlagMetadataValue::String("color-test".into()))
    );
    assert_eq!(
        split.flag_metadata.values.get("inExperiment"),
        Some(&FlagMetadataValue::Bool(true))
    );

    let config: StructValue = client.get_struct_value("config", None, None).await.unwrap();
    assert_eq!(
        config.fields.get("layout"),
        Some(&Value::String("grid".into()))
    );
    assert_eq!(config.fields.get("steps"), Some(&Value::Int(3)));
    assert_eq!(
        config.fields.get("tags"),
        Some(&Value::Array(vec![
            Value::String("a".into()),
            Value::Float(2.5)
        ]))
    );
}

#[tokio::test]
async fn errors_say_what_went_wrong() {
    let (_api, client) = register(fixed()).await;
    let missing = client
        .get_bool_value("no-such-flag", None, None)
        .await
        .unwrap_err();
    assert_eq!(missing.code, EvaluationErrorCode::FlagNotFound);
    // An integer request on 1.5, a string request on a bool, a bool request
    // on a string, a struct request on a number.
    for (code, error) in [
        (
            "int on 1.5",
            client.get_int_value("ratio", None, None).await.unwrap_err(),
        ),
        (
            "string on bool",
            client
                .get_string_value("dark-mode", None, None)
                .await
                .unwrap_err(),
        ),
        (
            "bool on string",
            client
                .get_bool_value("color", None, None)
                .await
                .unwrap_err(),
        ),
        (
            "float on string",
            client
                .get_float_value("color", None, None)
                .await
                .unwrap_err(),
        ),
    ] {
        assert_eq!(error.code, EvaluationErrorCode::TypeMismatch, "{code}");
    }
    let error = client
        .get_struct_value::<StructValue>("max-items", None, None)
        .await
        .unwrap_err();
    assert_eq!(error.code, EvaluationErrorCode::TypeMismatch);
}

#[tokio::test]
async fn prerequisites_forced_values_and_context_shapes() {
    let template = GrowthBook::builder()
        .features_json(&payload())
        .unwrap()
        .forced_features([("ratio".to_owned(), json!(2.5))].into_iter().collect())
        .build();
    let (_api, client) = register(GrowthBookProvider::from_template(template)).await;
    // The prerequisite fails without country FR: a targeting decision.
    let gated = client
        .get_bool_details("gated", Some(&context("u1")), None)
        .await
        .unwrap();
    assert!(!gated.value);
    assert_eq!(gated.reason, Some(EvaluationReason::TargetingMatch));
    assert_eq!(
        gated.flag_metadata.values.get("prerequisite"),
        Some(&FlagMetadataValue::String("failed".into()))
    );
    // The failed gate's value is `null`: no string to give.
    let error = client
        .get_string_value("gated", Some(&context("u1")), None)
        .await
        .unwrap_err();
    assert_eq!(error.code, EvaluationErrorCode::TypeMismatch);
    let french = context("u1").with_custom_field("country", "FR");
    assert!(client
        .get_bool_value("gated", Some(&french), None)
        .await
        .unwrap());

    let forced = client.get_float_details("ratio", None, None).await.unwrap();
    assert_eq!(
        (forced.value, forced.reason),
        (2.5, Some(EvaluationReason::Static))
    );

    // A struct field holding JSON is read as an object attribute; an `id`
    // field wins over the targeting key.
    let company = context("u1").with_custom_field(
        "company",
        open_feature::EvaluationContextFieldValue::new_struct(json!({"size": 500})),
    );
    assert!(client
        .get_bool_value("beta-list", Some(&company), None)
        .await
        .unwrap());
    let small = context("u1").with_custom_field(
        "company",
        open_feature::EvaluationContextFieldValue::new_struct(json!({"size": 5})),
    );
    assert!(!client
        .get_bool_value("beta-list", Some(&small), None)
        .await
        .unwrap());
}

#[tokio::test]
async fn exposures_reach_the_template_callback() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&seen);
    let template = GrowthBook::builder()
        .features_json(&payload())
        .unwrap()
        .on_experiment_viewed(move |experiment, result, user| {
            recorded.lock().unwrap().push((
                experiment.key.clone(),
                result.variation_id,
                user.attribute("id").cloned(),
            ));
        })
        .build();
    let (_api, client) = register(GrowthBookProvider::from_template(template)).await;
    client
        .get_string_value("color", Some(&context("u9")), None)
        .await
        .unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [("color-test".to_owned(), 1, Some(json!("u9")))]
    );
}

/// A server on 127.0.0.1 that answers every request with `status` and
/// the current `body` (which the test may change).
fn serve(status: u16, body: String) -> (String, Arc<Mutex<String>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let host = format!("http://{}", server.server_addr().to_ip().unwrap());
    let body = Arc::new(Mutex::new(body));
    let served = Arc::clone(&body);
    std::thread::spawn(move || {
        for request in server.incoming_requests() {
            let text = served.lock().unwrap().clone();
            let _ =
                request.respond(tiny_http::Response::from_string(text).with_status_code(status));
        }
    });
    (host, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readiness_follows_the_repository() {
    let (host, body) = serve(200, payload().to_string());
    let repository =
        FeatureRepository::new(RemoteOptions::new("sdk-ready").api_host(host)).unwrap();
    let mut provider = GrowthBookProvider::from_repository(repository.clone());
    assert_eq!(provider.status(), ProviderStatus::NotReady);
    let error = provider
        .resolve_bool_value("dark-mode", &context("u1"))
        .await
        .unwrap_err();
    assert_eq!(error.code, EvaluationErrorCode::ProviderNotReady);
    provider.initialize(&EvaluationContext::default()).await;
    assert_eq!(provider.status(), ProviderStatus::Ready);
    let (_api, client) = register(provider).await;
    let french = context("u1").with_custom_field("country", "FR");
    assert!(client
        .get_bool_value("dark-mode", Some(&french), None)
        .await
        .unwrap());

    // A refresh is picked up by the registered provider.
    *body.lock().unwrap() = json!({"features": {"dark-mode": {"defaultValue": true}}}).to_string();
    repository.refresh().await.unwrap();
    let anyone = client
        .get_bool_details("dark-mode", Some(&context("u2")), None)
        .await
        .unwrap();
    assert_eq!(
        (anyone.value, anyone.reason),
        (true, Some(EvaluationReason::Default))
    );

    let (down, _) = serve(500, "down".to_owned());
    let failing = FeatureRepository::new(RemoteOptions::new("sdk-down").api_host(down)).unwrap();
    let mut provider = GrowthBookProvider::from_repository(failing);
    provider.initialize(&EvaluationContext::default()).await;
    assert_eq!(provider.status(), ProviderStatus::Error);
}

/// Custom fields keep their types: an `id` field wins over the targeting
/// key; floats, bools and date-times (RFC 3339 strings) are compared as such.
#[tokio::test]
async fn context_fields_keep_their_types() {
    let (_api, client) = register(fixed()).await;
    let own_id = context("targeting").with_custom_field("id", "u3");
    assert_eq!(
        client
            .get_string_value("color", Some(&own_id), None)
            .await
            .unwrap(),
        "green"
    );

    let provider = GrowthBookProvider::new(Arc::new(
        FeatureSet::from_json(
            &json!({"features": {"promo": {"defaultValue": false, "rules": [{
                "condition": {"score": {"$gt": 0.5}, "vip": true, "signup": {"$gte": "2026-01-01"}},
                "force": true
            }]}}}),
        )
        .unwrap(),
    ));
    let (_api, client) = register(provider).await;
    let with = |signup: time::OffsetDateTime| {
        context("u1")
            .with_custom_field("score", 0.75)
            .with_custom_field("vip", true)
            .with_custom_field("signup", signup)
    };
    let fits = with(time::macros::datetime!(2026-03-01 12:00 UTC));
    assert!(client
        .get_bool_value("promo", Some(&fits), None)
        .await
        .unwrap());
    let early = with(time::macros::datetime!(2025-12-31 23:00 UTC));
    assert!(!client
        .get_bool_value("promo", Some(&early), None)
        .await
        .unwrap());

    // An OpenFeature struct value is an object attribute too.
    let (_api, client) = register(fixed()).await;
    let company = context("u1").with_custom_field(
        "company",
        open_feature::EvaluationContextFieldValue::new_struct(
            StructValue::default().with_field("size", 500),
        ),
    );
    assert!(client
        .get_bool_value("beta-list", Some(&company), None)
        .await
        .unwrap());
}
