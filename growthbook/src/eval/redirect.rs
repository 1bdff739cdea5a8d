//! URL redirects of auto experiments (the JS SDK's URL-redirect experiments):
//! which redirect, if any, the current URL gets.

use crate::eval::instance::GrowthBook;

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
    /// Runs the payload's URL-targeted redirect experiments for the current
    /// URL and returns the first redirect the user is assigned to, if any.
    /// Tracking fires for the experiment that decides it.
    pub fn url_redirect(&self) -> Option<UrlRedirect> {
        let current = self.url()?;
        let features = std::sync::Arc::clone(self.feature_set());
        for exp in features.experiments() {
            if exp.url_patterns.is_none() {
                continue;
            }
            let result = self.run(exp);
            if !result.in_experiment {
                continue;
            }
            let Some(target) = result
                .value
                .get("urlRedirect")
                .and_then(serde_json::Value::as_str)
            else {
                continue;
            };
            let url_with_params = if exp.persist_query_string == Some(true) {
                crate::url::merge_query_strings(current, target)
            } else {
                target.to_owned()
            };
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
