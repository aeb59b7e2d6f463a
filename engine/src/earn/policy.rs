//! The club's earning policy: rules, multipliers, the tier ladder and how earned points expire.
//! Stored as one JSON document per version; `Policy::parse` is the only way to get one.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::decimal::{MAX_FACTOR, is_factor};
use super::ids::RuleId;
use super::rules::{DateWindow, Multiplier, Period, Rule, RuleKind};
use crate::jalali::JalaliDate;
use crate::ledger::ExpiryPolicy;
use crate::tiers::{LadderError, TierId, TierLadder, TierLadderDraft};

/// The JSON layout this code reads. A later layout gets a new number and a migration step.
pub const POLICY_SCHEMA: u32 = 1;
/// Bounds that keep evaluation cheap and an admin page readable.
pub const MAX_RULES: usize = 100;
pub const MAX_MULTIPLIERS: usize = 100;
/// A return window longer than a year is a mistake, not a policy.
pub const MAX_PENDING_DAYS: u32 = 365;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    #[error("policy schema {0} is not supported (expected {POLICY_SCHEMA})")]
    UnsupportedSchema(u32),
    #[error("a policy has at most {MAX_RULES} rules and {MAX_MULTIPLIERS} multipliers")]
    TooMany,
    #[error("id {0} is used by more than one rule or multiplier")]
    DuplicateId(RuleId),
    #[error("rule {0}: points must be positive")]
    NoPoints(RuleId),
    #[error("rule {0}: the amount per step must be positive")]
    ZeroStep(RuleId),
    #[error("rule {rule}: two limits per {period}")]
    DuplicateLimit { rule: RuleId, period: Period },
    #[error("rule {0}: a limit must be at least 1 point")]
    ZeroLimit(RuleId),
    #[error("{id}: {start:?} to {end:?} is not a window (start must be a real date before end)")]
    BadWindow {
        id: RuleId,
        start: JalaliDate,
        end: JalaliDate,
    },
    #[error(
        "multiplier {id}: factor {factor} must be positive, at most {MAX_FACTOR}, with at most two decimals"
    )]
    BadFactor { id: RuleId, factor: Decimal },
    #[error("multiplier {multiplier}: {rule} is not a purchase rule of this policy")]
    UnknownRule { multiplier: RuleId, rule: RuleId },
    #[error("multiplier {multiplier}: tier {tier} is not on the ladder")]
    UnknownTier { multiplier: RuleId, tier: TierId },
    #[error("points may stay pending at most {MAX_PENDING_DAYS} days, not {0}")]
    PendingTooLong(u32),
    #[error("tiers: {0}")]
    Tiers(#[from] LadderError),
}

/// The unchecked policy, as the admin form or a stored document gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDraft {
    pub schema: u32,
    /// The admin's revision counter; awards record it so a dry run can be replayed later.
    pub version: u32,
    pub rules: Vec<Rule>,
    #[serde(default)]
    pub multipliers: Vec<Multiplier>,
    pub tiers: TierLadderDraft,
    /// How points earned under this policy expire.
    pub expiry: ExpiryPolicy,
    /// Days purchase points stay pending (the return window).
    pub pending_days: u32,
}

/// A checked policy. Serializes to the `PolicyDraft` JSON shape and deserializes through `parse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PolicyDraft", into = "PolicyDraft")]
pub struct Policy {
    version: u32,
    rules: Vec<Rule>,
    multipliers: Vec<Multiplier>,
    tiers: TierLadder,
    expiry: ExpiryPolicy,
    pending_days: u32,
}

fn check_window(id: &RuleId, window: Option<&DateWindow>) -> Result<(), PolicyError> {
    let Some(w) = window else { return Ok(()) };
    // Derived `Deserialize` on `JalaliDate` does not check the day exists, so check it here.
    let real = |d: JalaliDate| JalaliDate::new(d.year, d.month, d.day).is_ok();
    if real(w.start) && real(w.end) && w.start < w.end {
        Ok(())
    } else {
        Err(PolicyError::BadWindow {
            id: id.clone(),
            start: w.start,
            end: w.end,
        })
    }
}

fn check_rule(rule: &Rule) -> Result<(), PolicyError> {
    let id = &rule.id;
    if rule.kind.points().is_zero() {
        return Err(PolicyError::NoPoints(id.clone()));
    }
    if let RuleKind::PerAmount { per, .. } = &rule.kind
        && per.is_zero()
    {
        return Err(PolicyError::ZeroStep(id.clone()));
    }
    check_window(id, rule.window.as_ref())?;
    let mut periods = BTreeSet::new();
    for limit in &rule.limits {
        if !periods.insert(limit.period) {
            return Err(PolicyError::DuplicateLimit {
                rule: id.clone(),
                period: limit.period,
            });
        }
        if limit.max.is_zero() {
            return Err(PolicyError::ZeroLimit(id.clone()));
        }
    }
    Ok(())
}

fn check_multiplier(
    m: &Multiplier,
    purchase_rules: &BTreeSet<&RuleId>,
    tiers: &TierLadder,
) -> Result<(), PolicyError> {
    if !is_factor(m.factor) {
        return Err(PolicyError::BadFactor {
            id: m.id.clone(),
            factor: m.factor,
        });
    }
    check_window(&m.id, m.window.as_ref())?;
    if let Some(rule) = m.rules.iter().find(|r| !purchase_rules.contains(r)) {
        return Err(PolicyError::UnknownRule {
            multiplier: m.id.clone(),
            rule: rule.clone(),
        });
    }
    if let Some(tier) = m.tiers.iter().find(|t| tiers.get(t).is_none()) {
        return Err(PolicyError::UnknownTier {
            multiplier: m.id.clone(),
            tier: tier.clone(),
        });
    }
    Ok(())
}

impl Policy {
    /// The one checked constructor. Rules and multipliers keep their order: it is the order of
    /// the explanation lines.
    pub fn parse(draft: PolicyDraft) -> Result<Self, PolicyError> {
        if draft.schema != POLICY_SCHEMA {
            return Err(PolicyError::UnsupportedSchema(draft.schema));
        }
        if draft.rules.len() > MAX_RULES || draft.multipliers.len() > MAX_MULTIPLIERS {
            return Err(PolicyError::TooMany);
        }
        if draft.pending_days > MAX_PENDING_DAYS {
            return Err(PolicyError::PendingTooLong(draft.pending_days));
        }
        let tiers = TierLadder::parse(draft.tiers)?;
        let mut ids = BTreeSet::new();
        let all_ids = draft
            .rules
            .iter()
            .map(|r| &r.id)
            .chain(draft.multipliers.iter().map(|m| &m.id));
        for id in all_ids {
            if !ids.insert(id) {
                return Err(PolicyError::DuplicateId(id.clone()));
            }
        }
        for rule in &draft.rules {
            check_rule(rule)?;
        }
        let purchase_rules: BTreeSet<&RuleId> = draft
            .rules
            .iter()
            .filter(|r| r.kind.is_purchase_rule())
            .map(|r| &r.id)
            .collect();
        for m in &draft.multipliers {
            check_multiplier(m, &purchase_rules, &tiers)?;
        }
        Ok(Self {
            version: draft.version,
            rules: draft.rules,
            multipliers: draft.multipliers,
            tiers,
            expiry: draft.expiry,
            pending_days: draft.pending_days,
        })
    }

    /// Parses the stored JSON document.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    pub fn to_json(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn version(&self) -> u32 {
        self.version
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn rule(&self, id: &RuleId) -> Option<&Rule> {
        self.rules.iter().find(|r| &r.id == id)
    }

    pub fn multipliers(&self) -> &[Multiplier] {
        &self.multipliers
    }

    pub fn tiers(&self) -> &TierLadder {
        &self.tiers
    }

    pub fn expiry(&self) -> ExpiryPolicy {
        self.expiry
    }

    pub fn pending_days(&self) -> u32 {
        self.pending_days
    }

    /// A copy to edit in the admin form; `parse` it again to use it.
    pub fn to_draft(&self) -> PolicyDraft {
        self.clone().into()
    }
}

impl TryFrom<PolicyDraft> for Policy {
    type Error = PolicyError;
    fn try_from(draft: PolicyDraft) -> Result<Self, Self::Error> {
        Self::parse(draft)
    }
}

impl From<Policy> for PolicyDraft {
    fn from(policy: Policy) -> Self {
        PolicyDraft {
            schema: POLICY_SCHEMA,
            version: policy.version,
            rules: policy.rules,
            multipliers: policy.multipliers,
            tiers: policy.tiers.into(),
            expiry: policy.expiry,
            pending_days: policy.pending_days,
        }
    }
}
