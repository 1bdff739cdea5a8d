//! URL redirects of auto experiments (the JS SDK's URL-redirect experiments):
//! which redirect, if any, the current URL gets.

use crate::eval::instance::GrowthBook;
use crate::js::url::JsUrl;
use crate::model::experiment::Experiment;
use serde_json::Value;

/// A URL redirect decided by an auto experiment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UrlRedirect {
    /// Key of the experiment that decided it.
    pub experiment_key: String,
    /// Always true: only assigned users are redirected.
    pub in_experiment: bool,
    /// The variation's redirect target, as configured.
    pub url_redirect: String,
    /// The target with the current query string merged in when the
    /// experiment has `persistQueryString`.
    pub url_with_params: String,
}

impl<A: crate::attributes::Attributes> GrowthBook<A> {
    /// Runs the payload's URL-redirect experiments for the current URL, in
    /// order, as the JS SDK does on page load, and returns the redirect the
    /// user gets, if any. Tracking fires for each experiment run.
    ///
    /// As in JS: the first redirect experiment the user is in decides (its
    /// control variation means no redirect, and no later experiment runs);
    /// a `manual` experiment is not run; an experiment with a redirect that
    /// is not an absolute URL (or a current URL that is not one) is not run
    /// either; and a redirect that the experiment's own URL patterns target
    /// is not taken, since it would loop.
    pub fn url_redirect(&self) -> Option<UrlRedirect> {
        let current = self.url()?;
        let current_is_absolute = JsUrl::parse(current, None).is_some();
        let features = std::sync::Arc::clone(self.feature_set());
        for exp in features.experiments() {
            let Some(patterns) = exp.url_patterns.as_deref() else {
                continue;
            };
            if exp.manual == Some(true) || !redirects(exp) {
                continue;
            }
            if !current_is_absolute || !targets_are_absolute(exp) {
                log::debug!(target: "growthbook", "experiment {:?}: not run, a URL is not absolute", exp.key);
                continue;
            }
            let result = self.run(exp);
            if !result.in_experiment {
                continue;
            }
            let target = result
                .value
                .get("urlRedirect")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())?;
            let url_with_params = if exp.persist_query_string == Some(true) {
                crate::url::merge_query_strings(current, target)
            } else {
                target.to_owned()
            };
            if crate::url::is_redirect_targeted(&url_with_params, patterns) {
                log::debug!(target: "growthbook", "experiment {:?}: no redirect, the target matches its own URL patterns", exp.key);
                return None;
            }
            return Some(UrlRedirect {
                experiment_key: exp.key.clone(),
                in_experiment: true,
                url_redirect: target.to_owned(),
                url_with_params,
            });
        }
        None
    }
}

/// Whether an experiment redirects (JS `getAutoExperimentChangeType`): a
/// variation is an object with a `urlRedirect`.
fn redirects(exp: &Experiment) -> bool {
    exp.variations
        .iter()
        .any(|v| v.as_object().is_some_and(|v| v.contains_key("urlRedirect")))
}

/// Whether every redirect an experiment names parses as an absolute URL
/// (JS blocks the experiment otherwise).
fn targets_are_absolute(exp: &Experiment) -> bool {
    exp.variations.iter().all(|v| match v.get("urlRedirect") {
        None => true,
        Some(target) if !crate::js::truthy(target) => true,
        Some(Value::String(target)) => crate::url::is_absolute(target),
        Some(_) => false,
    })
}
