//! The users of both bench workloads as a request handler holds them (owned
//! data parsed from a session or headers: `*Request`), and the typed
//! attributes a request builds from that data without allocating
//! (`*User<'a>`). Shared by the benches and by `tests/allocations.rs`.

#![allow(dead_code)]

use growthbook::Attributes;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A user of the shared workload (`benches/data/workload.json`).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct WorkloadRequest {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub country: String,
    pub age: u32,
    pub browser: String,
    pub version: String,
    pub tags: Vec<String>,
}

/// [`WorkloadRequest`]'s attributes, borrowed.
#[derive(Attributes, Debug, Clone, Copy)]
pub struct WorkloadUser<'a> {
    pub id: &'a str,
    pub email: Option<&'a str>,
    pub country: &'a str,
    pub age: u32,
    pub browser: &'a str,
    pub version: &'a str,
    pub tags: &'a [String],
}

/// A user of the realistic workload (`benches/data/realistic.json`): 28
/// attributes, UUID ids, a nested company and lists.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RealisticRequest {
    pub id: String,
    pub device_id: String,
    pub anonymous_id: String,
    pub email: String,
    pub country: String,
    pub region: String,
    pub city: String,
    pub postal_code: String,
    pub language: String,
    pub browser: String,
    pub device_type: String,
    pub os: String,
    pub app_version: String,
    pub age: u32,
    pub account_age_days: u32,
    pub sessions: u32,
    pub ltv: f64,
    pub logged_in: bool,
    pub employee: bool,
    pub beta_opt_in: bool,
    pub newsletter: bool,
    pub plan: String,
    pub referrer: String,
    pub utm_campaign: String,
    pub tags: Vec<String>,
    pub roles: Vec<String>,
    pub company: CompanyRequest,
    pub cart_value: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct CompanyRequest {
    pub id: String,
    pub plan: String,
    pub size: u32,
    pub region: String,
}

/// [`RealisticRequest`]'s attributes, borrowed.
#[derive(Attributes, Debug, Clone, Copy)]
pub struct RealisticUser<'a> {
    pub id: &'a str,
    pub device_id: &'a str,
    pub anonymous_id: &'a str,
    pub email: &'a str,
    pub country: &'a str,
    pub region: &'a str,
    pub city: &'a str,
    pub postal_code: &'a str,
    pub language: &'a str,
    pub browser: &'a str,
    pub device_type: &'a str,
    pub os: &'a str,
    pub app_version: &'a str,
    pub age: u32,
    pub account_age_days: u32,
    pub sessions: u32,
    pub ltv: f64,
    pub logged_in: bool,
    pub employee: bool,
    pub beta_opt_in: bool,
    pub newsletter: bool,
    pub plan: &'a str,
    pub referrer: &'a str,
    pub utm_campaign: &'a str,
    pub tags: &'a [String],
    pub roles: &'a [String],
    pub company: Company<'a>,
    pub cart_value: f64,
}

#[derive(Attributes, Debug, Clone, Copy)]
pub struct Company<'a> {
    pub id: &'a str,
    pub plan: &'a str,
    pub size: u32,
    pub region: &'a str,
}

/// The request data of either workload.
pub trait Request: serde::de::DeserializeOwned + Serialize {
    /// The typed attributes, borrowed from the request.
    type User<'a>: Attributes
    where
        Self: 'a;

    /// The typed attributes of this request.
    fn user(&self) -> Self::User<'_>;

    /// The JSON attributes of this request.
    fn json(&self) -> Value;
}

impl Request for WorkloadRequest {
    type User<'a> = WorkloadUser<'a>;

    /// The typed attributes of this request: pointers, no allocation.
    #[inline]
    fn user(&self) -> WorkloadUser<'_> {
        WorkloadUser {
            id: &self.id,
            email: self.email.as_deref(),
            country: &self.country,
            age: self.age,
            browser: &self.browser,
            version: &self.version,
            tags: &self.tags,
        }
    }

    /// The JSON attributes of this request, as an app builds them.
    fn json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl Request for RealisticRequest {
    type User<'a> = RealisticUser<'a>;

    /// The typed attributes of this request: pointers, no allocation.
    #[inline]
    fn user(&self) -> RealisticUser<'_> {
        RealisticUser {
            id: &self.id,
            device_id: &self.device_id,
            anonymous_id: &self.anonymous_id,
            email: &self.email,
            country: &self.country,
            region: &self.region,
            city: &self.city,
            postal_code: &self.postal_code,
            language: &self.language,
            browser: &self.browser,
            device_type: &self.device_type,
            os: &self.os,
            app_version: &self.app_version,
            age: self.age,
            account_age_days: self.account_age_days,
            sessions: self.sessions,
            ltv: self.ltv,
            logged_in: self.logged_in,
            employee: self.employee,
            beta_opt_in: self.beta_opt_in,
            newsletter: self.newsletter,
            plan: &self.plan,
            referrer: &self.referrer,
            utm_campaign: &self.utm_campaign,
            tags: &self.tags,
            roles: &self.roles,
            company: Company {
                id: &self.company.id,
                plan: &self.company.plan,
                size: self.company.size,
                region: &self.company.region,
            },
            cart_value: self.cart_value,
        }
    }

    /// The JSON attributes of this request, as an app builds them.
    fn json(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Reads a workload's users, checking that each one round-trips: the
/// request data holds exactly the workload's attributes.
pub fn requests<T: serde::de::DeserializeOwned + Serialize>(users: &Value) -> Vec<T> {
    users
        .as_array()
        .expect("users")
        .iter()
        .map(|user| {
            let request: T = serde_json::from_value(user.clone()).expect("a user fits");
            assert_eq!(&serde_json::to_value(&request).expect("JSON"), user);
            request
        })
        .collect()
}
