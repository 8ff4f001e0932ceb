//! Retention: which backups `prune` keeps and which it removes.
//!
//! This module is a pure function of the backups found (as [`Candidate`]s), a
//! [`RetentionPolicy`] and the current time. It does no I/O and reads no clock,
//! so every decision can be reproduced in a test and shown verbatim by
//! `prune --dry-run` before anything is deleted.
//!
//! # The rules
//!
//! Candidates are ordered by the time recorded in their manifest (never a file's
//! mtime, which copies and restores change), newest first, ties broken by id, so
//! the order they are passed in never matters. Every keep rule only looks at
//! *good* candidates whose time is not in the future; each rule is applied on its
//! own and a candidate is kept if any rule selects it, collecting one reason per
//! rule that did.
//!
//! - `keep_days N`: every candidate younger than `N * 24h` (`now - time < N days`).
//! - `keep_last N`: the `N` newest.
//! - `keep_hourly` / `keep_daily` / `keep_weekly` / `keep_monthly N`: walking newest
//!   first, the newest candidate of each UTC hour / UTC day / ISO week / calendar
//!   month, until `N` such buckets have been filled. Buckets without a backup are
//!   skipped rather than counted, so a week-long outage does not eat up the daily
//!   allowance.
//! - `min_keep M` (default 1): once the rules above have run, if fewer than `M`
//!   good candidates are kept, the newest good ones not yet kept are added until
//!   `M` are kept or none are left. `min_keep` is at least 1 (0 is refused as input).
//!
//! A policy with no `keep_*` rule at all keeps everything: an unconfigured prune
//! must be harmless.
//!
//! # Candidates the rules do not apply to
//!
//! - **Bad candidates** (a manifest exists but the file failed a check) are never
//!   selected by a keep rule and never count toward `min_keep`. They are removed
//!   once `min_keep` good candidates are kept, which after the step above happens
//!   exactly when at least `min_keep` good candidates exist. If fewer exist, every
//!   bad candidate is kept: the check itself may be what is wrong (a new format,
//!   a broken tool), and a damaged backup may still hold data that can be pieced
//!   together, so deleting it is not a call a scheduled job should make. The
//!   operator sees the reason in `--dry-run` and decides.
//! - **Future candidates** (time later than `now` plus five minutes of tolerated
//!   clock skew) are always kept, good or bad. A wrong clock, on this host or on
//!   the one that wrote the manifest, is the likely cause, and no age-based
//!   decision about such a backup can be trusted. They do not fill buckets, do
//!   not count toward `keep_last`, and do not count toward `min_keep`: a backup
//!   whose timestamp is wrong cannot vouch for the safety of deleting others.
//!
//! # The guarantee
//!
//! With `min_keep >= 1`, a plan never removes the last good backup: the newest
//! good candidate that is not in the future is kept, since every rule that keeps
//! anything keeps it, and `min_keep` adds it when no rule does. More
//! generally, at least `min(min_keep, number of good candidates)` good candidates
//! are kept, and every decision carries at least one human-readable reason.

use std::fmt;

use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};
use serde::{Deserialize, Serialize};

/// How far ahead of `now` a candidate's time may be before it is treated as
/// being in the future; small differences between hosts' clocks are normal.
const CLOCK_SKEW_TOLERANCE: TimeDelta = TimeDelta::minutes(5);

const REASON_NO_RULE: &str = "no retention rule set";
const REASON_FUTURE: &str = "time is in the future (clock skew?)";
const REASON_BAD_REMOVED: &str = "not a good backup (failed check)";
const REASON_BAD_KEPT: &str = "kept: fewer than min-keep good backups exist";
const REASON_NOT_SELECTED: &str = "not selected by any keep rule";

/// How many backups to keep, by age and by calendar bucket (all buckets in UTC).
///
/// Every field is optional so a policy can be written in a config file or on the
/// command line with only the rules it needs; unknown fields are rejected so that
/// a misspelt rule (`keep_dayly`) is an error instead of a silently weaker policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionPolicy {
    /// Keep every good backup younger than this many days (`now - time < N * 24h`).
    pub keep_days: Option<u32>,
    /// Keep this many of the newest good backups.
    pub keep_last: Option<u32>,
    /// Keep the newest good backup of each of this many most recent UTC hours that have one.
    pub keep_hourly: Option<u32>,
    /// Keep the newest good backup of each of this many most recent UTC days that have one.
    pub keep_daily: Option<u32>,
    /// Keep the newest good backup of each of this many most recent ISO weeks that have one.
    pub keep_weekly: Option<u32>,
    /// Keep the newest good backup of each of this many most recent calendar months that have one.
    pub keep_monthly: Option<u32>,
    /// Never keep fewer good backups than this, whatever the rules say; `None` means 1. Zero is
    /// refused ([`RetentionPolicy::validate`]): pruning never removes the last good backup.
    pub min_keep: Option<u32>,
}

impl RetentionPolicy {
    /// The effective minimum number of good backups to keep: `min_keep`, or 1 when unset.
    ///
    /// The default is 1 rather than 0 because losing every backup to an overly
    /// strict age limit is the failure retention most needs to prevent.
    #[must_use]
    pub fn min_keep(&self) -> u32 {
        self.min_keep.unwrap_or(1).max(1)
    }

    /// Checks the policy as written: `min_keep` of 0 would let retention delete every backup,
    /// including the one just taken, and is refused.
    ///
    /// # Errors
    ///
    /// A message naming the setting.
    pub fn validate(&self) -> Result<(), String> {
        if self.min_keep == Some(0) {
            return Err(
                "min-keep must be at least 1: retention never removes the last good backup".into(),
            );
        }
        Ok(())
    }

    /// Whether no `keep_*` rule is set, in which case [`plan`] keeps everything.
    ///
    /// `min_keep` alone does not count: it is a floor under the rules, not a rule
    /// that selects backups, and pruning with no rule should delete nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keep_days.is_none()
            && self.keep_last.is_none()
            && self.keep_hourly.is_none()
            && self.keep_daily.is_none()
            && self.keep_weekly.is_none()
            && self.keep_monthly.is_none()
    }
}

/// One backup as retention sees it: an identity, the time from its manifest, and
/// whether it passed its checks.
///
/// Retention needs nothing else, which keeps [`plan`] independent of how backups
/// are stored and testable without files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What the caller uses to find the backup again (typically its file name); also
    /// breaks ties between candidates with the same time so plans are deterministic.
    pub id: String,
    /// When the backup was taken, as recorded in its manifest.
    pub time: DateTime<Utc>,
    /// Whether the backup passed its checks; only good backups are kept by the
    /// rules and count toward `min_keep`.
    pub good: bool,
}

/// What [`plan`] decided for one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Leave the backup in place.
    Keep,
    /// Delete the backup.
    Remove,
}

impl fmt::Display for Action {
    /// Lowercase, as in the JSON output, so text and JSON reports read the same.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Keep => "keep",
            Action::Remove => "remove",
        })
    }
}

/// The decision for one candidate, with every reason that applied.
///
/// Serializable so `prune --json` can report it; the reasons are written for a
/// person reading `prune --dry-run` before agreeing to delete anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The candidate's id, unchanged.
    pub id: String,
    /// The candidate's time, unchanged.
    pub time: DateTime<Utc>,
    /// Keep or remove.
    pub action: Action,
    /// Why: for a kept backup, every rule that selected it; for a removed one, why
    /// each rule passed it over. Never empty.
    pub reasons: Vec<String>,
}

/// Decides, for every candidate, whether to keep or remove it (see the module
/// documentation for the rules).
///
/// Returns exactly one decision per candidate, newest first, ties ordered by id.
/// `now` is passed in rather than read so that plans are reproducible. Never
/// panics, whatever the input: empty lists, duplicate ids, extreme times and
/// counts up to `u32::MAX` are all fine.
#[must_use]
pub fn plan(
    candidates: &[Candidate],
    policy: &RetentionPolicy,
    now: DateTime<Utc>,
) -> Vec<Decision> {
    let mut order: Vec<&Candidate> = candidates.iter().collect();
    // Good before bad only matters for candidates identical in time and id; it
    // makes the output independent of input order even then.
    order.sort_by(|a, b| {
        b.time
            .cmp(&a.time)
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| b.good.cmp(&a.good))
    });

    // When `now` is so close to the end of time that the tolerance cannot be
    // added, nothing can be later than it.
    let future_after = now.checked_add_signed(CLOCK_SKEW_TOLERANCE);
    let is_future = |c: &Candidate| future_after.is_some_and(|limit| c.time > limit);

    if policy.is_empty() {
        return order
            .iter()
            .map(|c| {
                let mut reasons = Vec::new();
                if is_future(c) {
                    reasons.push(REASON_FUTURE.to_string());
                }
                reasons.push(REASON_NO_RULE.to_string());
                decision(c, Action::Keep, reasons)
            })
            .collect();
    }

    // Indices into `order` of the candidates the rules apply to, newest first.
    let eligible: Vec<usize> = order
        .iter()
        .enumerate()
        .filter(|(_, c)| c.good && !is_future(c))
        .map(|(i, _)| i)
        .collect();

    // Per candidate: the rules that kept it, and why the others did not.
    let mut kept_by: Vec<Vec<String>> = vec![Vec::new(); order.len()];
    let mut passed_over: Vec<Vec<String>> = vec![Vec::new(); order.len()];

    if let Some(days) = policy.keep_days {
        // u32 days always fit in a TimeDelta; `None` would mean "forever".
        let max_age = TimeDelta::try_days(i64::from(days));
        for &i in &eligible {
            let Some(c) = order.get(i) else { continue };
            let age = now.signed_duration_since(c.time);
            if max_age.is_none_or(|max| age < max) {
                push(
                    &mut kept_by,
                    i,
                    format!("within {}", count(days, "day", "days")),
                );
            } else {
                push(
                    &mut passed_over,
                    i,
                    format!("older than {}", count(days, "day", "days")),
                );
            }
        }
    }

    if let Some(n) = policy.keep_last {
        for (rank, &i) in eligible.iter().enumerate() {
            if fits(rank, n) {
                push(&mut kept_by, i, format!("last {n} (#{})", rank + 1));
            } else if n == 0 {
                push(&mut passed_over, i, "keep-last is 0".to_string());
            } else {
                push(&mut passed_over, i, format!("not among the last {n}"));
            }
        }
    }

    for bucket in Bucket::ALL {
        let Some(n) = bucket.limit(policy) else {
            continue;
        };
        // Candidates are sorted newest first, and every bucket key grows with time,
        // so a candidate shares its bucket with a newer one exactly when it shares
        // it with the one just before it.
        let mut previous: Option<(BucketKey, bool)> = None;
        let mut filled: usize = 0;
        for &i in &eligible {
            let Some(c) = order.get(i) else { continue };
            let key = bucket.key(c.time);
            let label = format!("{} {}", bucket.name(), bucket.label(key));
            let selected = match previous {
                Some((prev, prev_selected)) if prev == key => {
                    if prev_selected {
                        push(
                            &mut passed_over,
                            i,
                            format!("{label} already has a newer backup"),
                        );
                    } else {
                        push(&mut passed_over, i, bucket.outside(&label, n));
                    }
                    prev_selected
                }
                _ => {
                    let selected = fits(filled, n);
                    if selected {
                        filled += 1;
                        push(&mut kept_by, i, label);
                    } else {
                        push(&mut passed_over, i, bucket.outside(&label, n));
                    }
                    selected
                }
            };
            previous = Some((key, selected));
        }
    }

    let min_keep = policy.min_keep();
    let wanted = usize::try_from(min_keep).unwrap_or(usize::MAX);
    let mut kept_good = eligible
        .iter()
        .filter(|&&i| kept_by.get(i).is_some_and(|r| !r.is_empty()))
        .count();
    for &i in &eligible {
        if kept_good >= wanted {
            break;
        }
        if kept_by.get(i).is_some_and(Vec::is_empty) {
            push(&mut kept_by, i, format!("min-keep {min_keep}"));
            kept_good += 1;
        }
    }
    let keep_bad = kept_good < wanted;

    order
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if is_future(c) {
                return decision(c, Action::Keep, vec![REASON_FUTURE.to_string()]);
            }
            if !c.good {
                return if keep_bad {
                    decision(c, Action::Keep, vec![REASON_BAD_KEPT.to_string()])
                } else {
                    decision(c, Action::Remove, vec![REASON_BAD_REMOVED.to_string()])
                };
            }
            let kept = take(&mut kept_by, i);
            if !kept.is_empty() {
                return decision(c, Action::Keep, kept);
            }
            let mut why = take(&mut passed_over, i);
            if why.is_empty() {
                why.push(REASON_NOT_SELECTED.to_string());
            }
            decision(c, Action::Remove, why)
        })
        .collect()
}

/// A calendar bucket kind used by the `keep_hourly` .. `keep_monthly` rules.
#[derive(Debug, Clone, Copy)]
enum Bucket {
    Hour,
    Day,
    Week,
    Month,
}

/// A bucket's identity; only compared for equality with the previous candidate's.
/// Hours: (year, month, day, hour); days: (year, month, day, 0); ISO weeks:
/// (ISO year, week, 0, 0); months: (year, month, 0, 0).
type BucketKey = (i32, u32, u32, u32);

impl Bucket {
    const ALL: [Bucket; 4] = [Bucket::Hour, Bucket::Day, Bucket::Week, Bucket::Month];

    fn limit(self, policy: &RetentionPolicy) -> Option<u32> {
        match self {
            Bucket::Hour => policy.keep_hourly,
            Bucket::Day => policy.keep_daily,
            Bucket::Week => policy.keep_weekly,
            Bucket::Month => policy.keep_monthly,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Bucket::Hour => "hourly",
            Bucket::Day => "daily",
            Bucket::Week => "weekly",
            Bucket::Month => "monthly",
        }
    }

    fn units(self) -> (&'static str, &'static str) {
        match self {
            Bucket::Hour => ("hour", "hours"),
            Bucket::Day => ("day", "days"),
            Bucket::Week => ("week", "weeks"),
            Bucket::Month => ("month", "months"),
        }
    }

    fn key(self, time: DateTime<Utc>) -> BucketKey {
        match self {
            Bucket::Hour => (time.year(), time.month(), time.day(), time.hour()),
            Bucket::Day => (time.year(), time.month(), time.day(), 0),
            Bucket::Week => {
                let week = time.iso_week();
                (week.year(), week.week(), 0, 0)
            }
            Bucket::Month => (time.year(), time.month(), 0, 0),
        }
    }

    fn label(self, (a, b, c, d): BucketKey) -> String {
        match self {
            Bucket::Hour => format!("{a:04}-{b:02}-{c:02}T{d:02}"),
            Bucket::Day => format!("{a:04}-{b:02}-{c:02}"),
            Bucket::Week => format!("{a:04}-W{b:02}"),
            Bucket::Month => format!("{a:04}-{b:02}"),
        }
    }

    /// Why a candidate in a bucket beyond the first `n` filled ones is not kept.
    fn outside(self, label: &str, n: u32) -> String {
        if n == 0 {
            return format!("{label}: keep-{} is 0", self.name());
        }
        let (one, many) = self.units();
        if n == 1 {
            format!("{label} is not the newest {one} with a backup")
        } else {
            format!("{label} is not among the {n} newest {many} with a backup")
        }
    }
}

/// Whether position `rank` (0-based) is within the first `n`.
fn fits(rank: usize, n: u32) -> bool {
    usize::try_from(n).map_or(true, |n| rank < n)
}

/// "1 day" / "30 days".
fn count(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn push(reasons: &mut [Vec<String>], i: usize, reason: String) {
    if let Some(r) = reasons.get_mut(i) {
        r.push(reason);
    }
}

fn take(reasons: &mut [Vec<String>], i: usize) -> Vec<String> {
    reasons.get_mut(i).map(std::mem::take).unwrap_or_default()
}

fn decision(c: &Candidate, action: Action, reasons: Vec<String>) -> Decision {
    Decision {
        id: c.id.clone(),
        time: c.time,
        action,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses an RFC 3339 time; test inputs are literals, so a typo should fail loudly.
    fn t(s: &str) -> DateTime<Utc> {
        s.parse().expect("test time must be RFC 3339")
    }

    /// A good candidate whose id is its time, which keeps expectations readable.
    fn good(time: &str) -> Candidate {
        Candidate {
            id: time.to_string(),
            time: t(time),
            good: true,
        }
    }

    /// A candidate that failed its check; its id is its time prefixed with "bad ".
    fn bad(time: &str) -> Candidate {
        Candidate {
            id: format!("bad {time}"),
            time: t(time),
            good: false,
        }
    }

    fn kept_ids(decisions: &[Decision]) -> Vec<&str> {
        decisions
            .iter()
            .filter(|d| d.action == Action::Keep)
            .map(|d| d.id.as_str())
            .collect()
    }

    fn find<'a>(decisions: &'a [Decision], id: &str) -> &'a Decision {
        decisions
            .iter()
            .find(|d| d.id == id)
            .expect("every candidate has a decision")
    }

    /// A tiny deterministic generator (Knuth's MMIX constants) so randomized tests
    /// need no extra dependency and are reproducible from their seed.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            self.0 >> 33
        }

        fn below(&mut self, n: u64) -> u64 {
            if n == 0 {
                0
            } else {
                self.next() % n
            }
        }

        fn shuffle<T>(&mut self, items: &mut [T]) {
            for i in (1..items.len()).rev() {
                let j = self.below(i as u64 + 1) as usize;
                items.swap(i, j);
            }
        }
    }

    /// `n` good backups `step` apart, the newest at `newest`.
    fn series(newest: &str, step: TimeDelta, n: i32) -> Vec<Candidate> {
        let newest = t(newest);
        (0..n)
            .map(|k| {
                let time = newest - step * k;
                Candidate {
                    id: time.to_rfc3339(),
                    time,
                    good: true,
                }
            })
            .collect()
    }

    struct Case {
        name: &'static str,
        now: &'static str,
        policy: RetentionPolicy,
        candidates: Vec<Candidate>,
        /// Ids expected to be kept, newest first.
        keep: Vec<&'static str>,
    }

    fn run_cases(cases: Vec<Case>) {
        for case in cases {
            let decisions = plan(&case.candidates, &case.policy, t(case.now));
            assert_eq!(
                kept_ids(&decisions),
                case.keep,
                "case {:?}: decisions {:#?}",
                case.name,
                decisions
            );
            assert_eq!(
                decisions.len(),
                case.candidates.len(),
                "case {:?}",
                case.name
            );
            for d in &decisions {
                assert!(!d.reasons.is_empty(), "case {:?}: {d:?}", case.name);
            }
        }
    }

    const NOW: &str = "2026-11-21T14:05:00Z";

    #[test]
    fn empty_input_gives_empty_plan() {
        let policies = [
            RetentionPolicy::default(),
            RetentionPolicy {
                keep_days: Some(30),
                ..Default::default()
            },
            RetentionPolicy {
                keep_last: Some(u32::MAX),
                keep_hourly: Some(1),
                min_keep: Some(u32::MAX),
                ..Default::default()
            },
        ];
        for policy in &policies {
            assert!(plan(&[], policy, t(NOW)).is_empty(), "{policy:?}");
        }
    }

    #[test]
    fn policy_helpers() {
        let mut p = RetentionPolicy::default();
        assert!(p.is_empty());
        assert_eq!(p.min_keep(), 1);
        p.min_keep = Some(5);
        assert!(p.is_empty(), "min_keep alone is not a rule");
        assert_eq!(p.min_keep(), 5);
        p.min_keep = Some(0);
        assert_eq!(p.min_keep(), 1, "the floor is never below one");
        assert!(p.validate().is_err(), "zero is refused as input");
        for set in [
            |p: &mut RetentionPolicy| p.keep_days = Some(0),
            |p: &mut RetentionPolicy| p.keep_last = Some(0),
            |p: &mut RetentionPolicy| p.keep_hourly = Some(0),
            |p: &mut RetentionPolicy| p.keep_daily = Some(0),
            |p: &mut RetentionPolicy| p.keep_weekly = Some(0),
            |p: &mut RetentionPolicy| p.keep_monthly = Some(0),
        ] {
            let mut p = RetentionPolicy::default();
            set(&mut p);
            assert!(!p.is_empty(), "{p:?}");
        }
        assert_eq!(Action::Keep.to_string(), "keep");
        assert_eq!(Action::Remove.to_string(), "remove");
    }

    #[test]
    fn empty_policy_keeps_everything() {
        let candidates = vec![
            good("2020-01-01T00:00:00Z"),
            bad("2026-11-21T13:00:00Z"),
            good("2026-11-22T00:00:00Z"),
        ];
        for min_keep in [None, Some(0), Some(7)] {
            let policy = RetentionPolicy {
                min_keep,
                ..Default::default()
            };
            let decisions = plan(&candidates, &policy, t(NOW));
            assert_eq!(
                kept_ids(&decisions),
                [
                    "2026-11-22T00:00:00Z",
                    "bad 2026-11-21T13:00:00Z",
                    "2020-01-01T00:00:00Z"
                ]
            );
            assert_eq!(
                find(&decisions, "2020-01-01T00:00:00Z").reasons,
                ["no retention rule set"]
            );
            assert_eq!(
                find(&decisions, "2026-11-22T00:00:00Z").reasons,
                [
                    "time is in the future (clock skew?)",
                    "no retention rule set"
                ]
            );
        }
    }

    #[test]
    fn keep_last() {
        let three = || {
            vec![
                good("2026-11-21T12:00:00Z"),
                good("2026-11-21T13:00:00Z"),
                good("2026-11-21T14:00:00Z"),
            ]
        };
        let last = |n, min_keep| RetentionPolicy {
            keep_last: Some(n),
            min_keep,
            ..Default::default()
        };
        run_cases(vec![
            Case {
                name: "last 2 of 3",
                now: NOW,
                policy: last(2, None),
                candidates: three(),
                keep: vec!["2026-11-21T14:00:00Z", "2026-11-21T13:00:00Z"],
            },
            Case {
                name: "last 5 of 3 keeps all",
                now: NOW,
                policy: last(5, None),
                candidates: three(),
                keep: vec![
                    "2026-11-21T14:00:00Z",
                    "2026-11-21T13:00:00Z",
                    "2026-11-21T12:00:00Z",
                ],
            },
            Case {
                name: "last 0 still keeps min-keep 1",
                now: NOW,
                policy: last(0, None),
                candidates: three(),
                keep: vec!["2026-11-21T14:00:00Z"],
            },
            Case {
                name: "min-keep 0 (refused as input) still keeps one",
                now: NOW,
                policy: last(0, Some(0)),
                candidates: three(),
                keep: vec!["2026-11-21T14:00:00Z"],
            },
            Case {
                name: "u32::MAX",
                now: NOW,
                policy: last(u32::MAX, Some(u32::MAX)),
                candidates: three(),
                keep: vec![
                    "2026-11-21T14:00:00Z",
                    "2026-11-21T13:00:00Z",
                    "2026-11-21T12:00:00Z",
                ],
            },
            Case {
                name: "a bad newest backup is skipped, not counted",
                now: NOW,
                policy: last(1, None),
                candidates: vec![
                    good("2026-11-21T12:00:00Z"),
                    bad("2026-11-21T14:00:00Z"),
                    good("2026-11-21T13:00:00Z"),
                ],
                keep: vec!["2026-11-21T13:00:00Z"],
            },
        ]);

        let decisions = plan(&three(), &last(2, None), t(NOW));
        assert_eq!(
            find(&decisions, "2026-11-21T14:00:00Z").reasons,
            ["last 2 (#1)"]
        );
        assert_eq!(
            find(&decisions, "2026-11-21T13:00:00Z").reasons,
            ["last 2 (#2)"]
        );
        assert_eq!(
            find(&decisions, "2026-11-21T12:00:00Z").reasons,
            ["not among the last 2"]
        );
    }

    #[test]
    fn buckets_and_their_boundaries() {
        let hourly = |n| RetentionPolicy {
            keep_hourly: Some(n),
            ..Default::default()
        };
        let daily = |n| RetentionPolicy {
            keep_daily: Some(n),
            ..Default::default()
        };
        let weekly = |n| RetentionPolicy {
            keep_weekly: Some(n),
            ..Default::default()
        };
        let monthly = |n| RetentionPolicy {
            keep_monthly: Some(n),
            ..Default::default()
        };
        run_cases(vec![
            Case {
                name: "hour boundary: 14:59:59 and 15:00:00 are different hours",
                now: "2026-11-21T16:00:00Z",
                policy: hourly(2),
                candidates: vec![
                    good("2026-11-21T14:00:00Z"),
                    good("2026-11-21T14:59:59Z"),
                    good("2026-11-21T15:00:00Z"),
                ],
                keep: vec!["2026-11-21T15:00:00Z", "2026-11-21T14:59:59Z"],
            },
            Case {
                name: "hours without a backup are skipped, not counted",
                now: "2026-11-21T15:00:00Z",
                policy: hourly(3),
                candidates: vec![
                    good("2026-11-21T14:10:00Z"),
                    good("2026-11-21T14:50:00Z"),
                    good("2026-11-21T12:30:00Z"),
                    good("2026-11-21T09:00:00Z"),
                    good("2026-11-21T08:00:00Z"),
                ],
                keep: vec![
                    "2026-11-21T14:50:00Z",
                    "2026-11-21T12:30:00Z",
                    "2026-11-21T09:00:00Z",
                ],
            },
            Case {
                name: "UTC midnight splits days",
                now: NOW,
                policy: daily(1),
                candidates: vec![good("2026-11-20T23:59:59Z"), good("2026-11-21T00:00:00Z")],
                keep: vec!["2026-11-21T00:00:00Z"],
            },
            Case {
                name: "offsets are converted to UTC before bucketing",
                now: NOW,
                policy: daily(2),
                // 01:30+02:00 is 2026-11-20T23:30Z, the same UTC day as 22:00Z.
                candidates: vec![
                    Candidate {
                        id: "local".into(),
                        time: t("2026-11-21T01:30:00+02:00"),
                        good: true,
                    },
                    good("2026-11-20T22:00:00Z"),
                    good("2026-11-19T22:00:00Z"),
                ],
                keep: vec!["local", "2026-11-19T22:00:00Z"],
            },
            Case {
                name: "daily keeps the newest of each day",
                now: NOW,
                policy: daily(2),
                candidates: vec![
                    good("2026-11-19T23:00:00Z"),
                    good("2026-11-20T01:00:00Z"),
                    good("2026-11-20T23:00:00Z"),
                    good("2026-11-21T00:00:00Z"),
                    good("2026-11-21T13:00:00Z"),
                ],
                keep: vec!["2026-11-21T13:00:00Z", "2026-11-20T23:00:00Z"],
            },
            Case {
                name: "ISO week 2026-W53 spans 2026-12-31 and 2027-01-01",
                now: "2027-01-10T00:00:00Z",
                policy: weekly(2),
                candidates: vec![
                    good("2026-12-27T12:00:00Z"), // Sunday, 2026-W52
                    good("2026-12-28T00:00:00Z"), // Monday, 2026-W53
                    good("2026-12-31T12:00:00Z"), // Thursday, 2026-W53
                    good("2027-01-01T12:00:00Z"), // Friday, still 2026-W53
                    good("2027-01-04T00:00:00Z"), // Monday, 2027-W01
                ],
                keep: vec!["2027-01-04T00:00:00Z", "2027-01-01T12:00:00Z"],
            },
            Case {
                name: "2020-12-31 and 2021-01-03 are both 2020-W53",
                now: "2021-01-10T00:00:00Z",
                policy: weekly(3),
                candidates: vec![
                    good("2020-12-20T00:00:00Z"), // 2020-W51
                    good("2020-12-27T00:00:00Z"), // Sunday, 2020-W52
                    good("2020-12-31T00:00:00Z"), // 2020-W53
                    good("2021-01-03T23:59:59Z"), // Sunday, 2020-W53
                    good("2021-01-04T00:00:00Z"), // Monday, 2021-W01
                ],
                keep: vec![
                    "2021-01-04T00:00:00Z",
                    "2021-01-03T23:59:59Z",
                    "2020-12-27T00:00:00Z",
                ],
            },
            Case {
                name: "2024-12-30 belongs to ISO year 2025",
                now: "2025-01-10T00:00:00Z",
                policy: weekly(1),
                candidates: vec![
                    good("2024-12-29T23:00:00Z"), // Sunday, 2024-W52
                    good("2024-12-30T00:00:00Z"), // Monday, 2025-W01
                ],
                keep: vec!["2024-12-30T00:00:00Z"],
            },
            Case {
                name: "month ends, including a leap day",
                now: "2026-04-01T00:00:00Z",
                policy: monthly(4),
                candidates: vec![
                    good("2024-02-29T23:59:59Z"),
                    good("2024-03-01T00:00:00Z"),
                    good("2026-01-31T23:59:59Z"),
                    good("2026-02-01T00:00:00Z"),
                    good("2026-02-28T23:59:59Z"),
                    good("2026-03-01T00:00:00Z"),
                    good("2026-03-31T23:59:59Z"),
                ],
                keep: vec![
                    "2026-03-31T23:59:59Z",
                    "2026-02-28T23:59:59Z",
                    "2026-01-31T23:59:59Z",
                    "2024-03-01T00:00:00Z",
                ],
            },
            Case {
                name: "a bad backup does not take its day's place",
                now: NOW,
                policy: RetentionPolicy {
                    keep_daily: Some(2),
                    min_keep: Some(0),
                    ..Default::default()
                },
                candidates: vec![
                    bad("2026-11-21T13:00:00Z"),
                    good("2026-11-21T10:00:00Z"),
                    good("2026-11-20T10:00:00Z"),
                    good("2026-11-19T10:00:00Z"),
                ],
                keep: vec!["2026-11-21T10:00:00Z", "2026-11-20T10:00:00Z"],
            },
        ]);

        // Labels name the bucket precisely, including the ISO year.
        let candidates = vec![good("2026-12-31T12:00:00Z"), good("2027-01-01T12:00:00Z")];
        let policy = RetentionPolicy {
            keep_hourly: Some(1),
            keep_daily: Some(1),
            keep_weekly: Some(1),
            keep_monthly: Some(1),
            ..Default::default()
        };
        let decisions = plan(&candidates, &policy, t("2027-01-02T00:00:00Z"));
        assert_eq!(
            find(&decisions, "2027-01-01T12:00:00Z").reasons,
            [
                "hourly 2027-01-01T12",
                "daily 2027-01-01",
                "weekly 2026-W53",
                "monthly 2027-01"
            ]
        );
        assert_eq!(
            find(&decisions, "2026-12-31T12:00:00Z").action,
            Action::Remove
        );
        assert_eq!(
            find(&decisions, "2026-12-31T12:00:00Z").reasons,
            [
                "hourly 2026-12-31T12 is not the newest hour with a backup",
                "daily 2026-12-31 is not the newest day with a backup",
                "weekly 2026-W53 already has a newer backup",
                "monthly 2026-12 is not the newest month with a backup",
            ]
        );
    }

    #[test]
    fn keep_days_boundary() {
        let policy = RetentionPolicy {
            keep_days: Some(30),
            min_keep: Some(0),
            ..Default::default()
        };
        let candidates = vec![
            good("2026-10-22T14:05:00Z"), // exactly 30 days old: out
            good("2026-10-22T14:05:01Z"), // one second younger: in
            good("2026-11-21T14:05:00Z"), // now: in
            good("2026-11-21T14:09:00Z"), // slightly ahead, within tolerance: in
        ];
        let decisions = plan(&candidates, &policy, t(NOW));
        assert_eq!(
            kept_ids(&decisions),
            [
                "2026-11-21T14:09:00Z",
                "2026-11-21T14:05:00Z",
                "2026-10-22T14:05:01Z"
            ]
        );
        assert_eq!(
            find(&decisions, "2026-10-22T14:05:01Z").reasons,
            ["within 30 days"]
        );
        assert_eq!(
            find(&decisions, "2026-10-22T14:05:00Z").reasons,
            ["older than 30 days"]
        );

        let one_day = RetentionPolicy {
            keep_days: Some(1),
            ..Default::default()
        };
        let decisions = plan(&candidates, &one_day, t(NOW));
        assert_eq!(
            find(&decisions, "2026-11-21T14:05:00Z").reasons,
            ["within 1 day"]
        );
        assert_eq!(
            find(&decisions, "2026-10-22T14:05:00Z").reasons,
            ["older than 1 day"]
        );
    }

    /// The design's production policy over 90 days of hourly backups. Expected
    /// counts, with now = Saturday 2026-11-21 14:05 and backups on every hour from
    /// 2026-08-23T15:00 to 2026-11-21T14:00 (2160 of them):
    /// - hourly 24: 2026-11-20T15:00 .. 2026-11-21T14:00, 24 backups.
    /// - daily 7: 21st 14:00 (already hourly), 20th 23:00 (already hourly), and
    ///   23:00 on the 19th, 18th, 17th, 16th and 15th: 5 new.
    /// - weekly 4: W47 (Mon 16th .. Sun 22nd) -> 21st 14:00; W46 -> Sun 15th 23:00
    ///   (already daily); W45 -> Sun 8th 23:00; W44 -> Sun 1st 23:00: 2 new.
    /// - monthly 6: November -> 21st 14:00; Oct 31, Sep 30 and Aug 31 at 23:00; no
    ///   older months exist, so only 4 buckets fill: 3 new.
    ///
    /// Total kept 24 + 5 + 2 + 3 = 34, removed 2126; min-keep 3 is already met.
    #[test]
    fn combined_policy_over_90_days_of_hourly_backups() {
        let candidates = series("2026-11-21T14:00:00Z", TimeDelta::hours(1), 90 * 24);
        assert_eq!(
            candidates.last().map(|c| c.time),
            Some(t("2026-08-23T15:00:00Z"))
        );
        let policy = RetentionPolicy {
            keep_hourly: Some(24),
            keep_daily: Some(7),
            keep_weekly: Some(4),
            keep_monthly: Some(6),
            min_keep: Some(3),
            ..Default::default()
        };
        let decisions = plan(&candidates, &policy, t(NOW));
        assert_eq!(decisions.len(), 2160);

        let mut expected: Vec<String> = (0..24)
            .map(|k| (t("2026-11-21T14:00:00Z") - TimeDelta::hours(k)).to_rfc3339())
            .collect();
        for day in [
            "2026-11-19",
            "2026-11-18",
            "2026-11-17",
            "2026-11-16",
            "2026-11-15",
            "2026-11-08",
            "2026-11-01",
            "2026-10-31",
            "2026-09-30",
            "2026-08-31",
        ] {
            expected.push(t(&format!("{day}T23:00:00Z")).to_rfc3339());
        }
        assert_eq!(expected.len(), 34);
        assert_eq!(kept_ids(&decisions), expected);
        assert_eq!(
            decisions
                .iter()
                .filter(|d| d.action == Action::Remove)
                .count(),
            2126
        );

        let newest = t("2026-11-21T14:00:00Z").to_rfc3339();
        assert_eq!(
            find(&decisions, &newest).reasons,
            [
                "hourly 2026-11-21T14",
                "daily 2026-11-21",
                "weekly 2026-W47",
                "monthly 2026-11"
            ]
        );
        let sunday = t("2026-11-15T23:00:00Z").to_rfc3339();
        assert_eq!(
            find(&decisions, &sunday).reasons,
            ["daily 2026-11-15", "weekly 2026-W46"]
        );
        let removed = t("2026-11-15T22:00:00Z").to_rfc3339();
        assert_eq!(
            find(&decisions, &removed).reasons,
            [
                "hourly 2026-11-15T22 is not among the 24 newest hours with a backup",
                "daily 2026-11-15 already has a newer backup",
                "weekly 2026-W46 already has a newer backup",
                "monthly 2026-11 already has a newer backup",
            ]
        );
        let oldest = t("2026-08-23T15:00:00Z").to_rfc3339();
        assert_eq!(
            find(&decisions, &oldest).reasons,
            [
                "hourly 2026-08-23T15 is not among the 24 newest hours with a backup",
                "daily 2026-08-23 is not among the 7 newest days with a backup",
                "weekly 2026-W34 is not among the 4 newest weeks with a backup",
                "monthly 2026-08 already has a newer backup",
            ]
        );
    }

    #[test]
    fn min_keep_rescues_when_every_backup_is_old() {
        let candidates = series("2026-09-01T00:00:00Z", TimeDelta::days(1), 10);
        let policy = RetentionPolicy {
            keep_days: Some(30),
            min_keep: Some(3),
            ..Default::default()
        };
        let decisions = plan(&candidates, &policy, t(NOW));
        assert_eq!(
            kept_ids(&decisions),
            [
                "2026-09-01T00:00:00+00:00",
                "2026-08-31T00:00:00+00:00",
                "2026-08-30T00:00:00+00:00"
            ]
        );
        assert_eq!(
            find(&decisions, "2026-09-01T00:00:00+00:00").reasons,
            ["min-keep 3"]
        );
        assert_eq!(
            find(&decisions, "2026-08-29T00:00:00+00:00").reasons,
            ["older than 30 days"]
        );

        // Rules that keep some but not enough are topped up with the newest others.
        let policy = RetentionPolicy {
            keep_monthly: Some(1),
            min_keep: Some(3),
            ..Default::default()
        };
        let decisions = plan(&candidates, &policy, t(NOW));
        assert_eq!(
            kept_ids(&decisions),
            [
                "2026-09-01T00:00:00+00:00",
                "2026-08-31T00:00:00+00:00",
                "2026-08-30T00:00:00+00:00"
            ]
        );
        assert_eq!(
            find(&decisions, "2026-09-01T00:00:00+00:00").reasons,
            ["monthly 2026-09"]
        );
        assert_eq!(
            find(&decisions, "2026-08-31T00:00:00+00:00").reasons,
            ["min-keep 3"]
        );

        // Asking for more than exist keeps them all, no more.
        let policy = RetentionPolicy {
            keep_days: Some(1),
            min_keep: Some(u32::MAX),
            ..Default::default()
        };
        let decisions = plan(&candidates, &policy, t(NOW));
        assert_eq!(kept_ids(&decisions).len(), 10);
    }

    #[test]
    fn bad_candidates() {
        let days30 = |min_keep| RetentionPolicy {
            keep_days: Some(30),
            min_keep,
            ..Default::default()
        };
        run_cases(vec![
            Case {
                name: "removed once a good one is kept, even when young",
                now: NOW,
                policy: days30(None),
                candidates: vec![
                    bad("2026-11-21T14:00:00Z"),
                    good("2026-11-21T13:00:00Z"),
                    bad("2026-01-01T00:00:00Z"),
                ],
                keep: vec!["2026-11-21T13:00:00Z"],
            },
            Case {
                name: "all bad: all kept",
                now: NOW,
                policy: days30(None),
                candidates: vec![bad("2026-11-21T14:00:00Z"), bad("2026-01-01T00:00:00Z")],
                keep: vec!["bad 2026-11-21T14:00:00Z", "bad 2026-01-01T00:00:00Z"],
            },
            Case {
                name: "fewer good than min-keep: every good and every bad kept",
                now: NOW,
                policy: days30(Some(3)),
                candidates: vec![
                    good("2025-01-01T00:00:00Z"),
                    bad("2026-11-21T14:00:00Z"),
                    good("2025-01-02T00:00:00Z"),
                    bad("2024-01-01T00:00:00Z"),
                ],
                keep: vec![
                    "bad 2026-11-21T14:00:00Z",
                    "2025-01-02T00:00:00Z",
                    "2025-01-01T00:00:00Z",
                    "bad 2024-01-01T00:00:00Z",
                ],
            },
            Case {
                name: "exactly min-keep good: bad removed",
                now: NOW,
                policy: days30(Some(2)),
                candidates: vec![
                    good("2025-01-01T00:00:00Z"),
                    bad("2026-11-21T14:00:00Z"),
                    good("2025-01-02T00:00:00Z"),
                ],
                keep: vec!["2025-01-02T00:00:00Z", "2025-01-01T00:00:00Z"],
            },
            Case {
                name: "min-keep 0 is a floor of one: with no good backup the bad one stays",
                now: NOW,
                policy: days30(Some(0)),
                candidates: vec![bad("2026-11-21T14:00:00Z")],
                keep: vec!["bad 2026-11-21T14:00:00Z"],
            },
        ]);

        let decisions = plan(
            &[bad("2026-11-21T14:00:00Z"), good("2026-11-21T13:00:00Z")],
            &days30(None),
            t(NOW),
        );
        assert_eq!(
            find(&decisions, "bad 2026-11-21T14:00:00Z").reasons,
            ["not a good backup (failed check)"]
        );
        let decisions = plan(&[bad("2026-11-21T14:00:00Z")], &days30(None), t(NOW));
        assert_eq!(
            find(&decisions, "bad 2026-11-21T14:00:00Z").reasons,
            ["kept: fewer than min-keep good backups exist"]
        );
    }

    #[test]
    fn future_candidates() {
        let policy = RetentionPolicy {
            keep_last: Some(1),
            keep_daily: Some(1),
            ..Default::default()
        };
        let candidates = vec![
            good("2026-11-21T14:10:00Z"), // exactly now + 5 min: not future
            good("2026-11-21T14:10:01Z"), // future
            bad("2027-06-01T00:00:00Z"),  // future and bad: still kept
            good("2026-11-21T12:00:00Z"),
        ];
        let decisions = plan(&candidates, &policy, t(NOW));
        assert_eq!(
            kept_ids(&decisions),
            [
                "bad 2027-06-01T00:00:00Z",
                "2026-11-21T14:10:01Z",
                "2026-11-21T14:10:00Z"
            ]
        );
        assert_eq!(
            find(&decisions, "2026-11-21T14:10:01Z").reasons,
            ["time is in the future (clock skew?)"]
        );
        assert_eq!(
            find(&decisions, "bad 2027-06-01T00:00:00Z").reasons,
            ["time is in the future (clock skew?)"]
        );
        assert_eq!(
            find(&decisions, "2026-11-21T14:10:00Z").reasons,
            ["last 1 (#1)", "daily 2026-11-21"]
        );

        // A future backup does not satisfy min-keep: the newest present one is kept.
        let policy = RetentionPolicy {
            keep_days: Some(30),
            ..Default::default()
        };
        let candidates = vec![good("2030-01-01T00:00:00Z"), good("2020-01-01T00:00:00Z")];
        let decisions = plan(&candidates, &policy, t(NOW));
        assert_eq!(
            kept_ids(&decisions),
            ["2030-01-01T00:00:00Z", "2020-01-01T00:00:00Z"]
        );
        assert_eq!(
            find(&decisions, "2020-01-01T00:00:00Z").reasons,
            ["min-keep 1"]
        );
    }

    /// The seeds pruned with `find -mtime +30 -delete`: anything whose mtime was
    /// more than 30 whole days old went, including the last backup if backups had
    /// stopped. `keep_days 30` is the nearest policy (find rounds the age down to
    /// whole days, so it kept files up to 31 days old; this keeps them up to 30),
    /// and the default min-keep 1 is what the script lacked.
    #[test]
    fn seed_policy_equivalent_never_deletes_the_last_backup() {
        let policy = RetentionPolicy {
            keep_days: Some(30),
            ..Default::default()
        };

        // Daily backups for 40 days: the ones younger than 30 days stay.
        let candidates = series("2026-11-21T02:00:00Z", TimeDelta::days(1), 40);
        let decisions = plan(&candidates, &policy, t(NOW));
        let kept = kept_ids(&decisions);
        assert_eq!(kept.len(), 30);
        assert_eq!(kept.last(), Some(&"2026-10-23T02:00:00+00:00"));
        assert_eq!(
            find(&decisions, "2026-10-22T02:00:00+00:00").reasons,
            ["older than 30 days"]
        );

        // Backups stopped 40 days ago: the script would delete all of them.
        let candidates = series("2026-10-12T02:00:00Z", TimeDelta::days(1), 5);
        let decisions = plan(&candidates, &policy, t(NOW));
        assert_eq!(kept_ids(&decisions), ["2026-10-12T02:00:00+00:00"]);
        assert_eq!(
            find(&decisions, "2026-10-12T02:00:00+00:00").reasons,
            ["min-keep 1"]
        );

        // A single backup, 40 days old.
        let decisions = plan(&[good("2026-10-12T02:00:00Z")], &policy, t(NOW));
        assert_eq!(kept_ids(&decisions), ["2026-10-12T02:00:00Z"]);
    }

    #[test]
    fn input_order_does_not_matter() {
        let mut candidates = series("2026-11-21T14:00:00Z", TimeDelta::minutes(37), 400);
        candidates.push(bad("2026-11-20T10:00:00Z"));
        candidates.push(bad("2030-01-01T00:00:00Z"));
        // Same time, different ids, and an exact duplicate.
        candidates.push(good("2026-11-21T13:00:00Z"));
        candidates.push(Candidate {
            id: "another".into(),
            time: t("2026-11-21T13:00:00Z"),
            good: true,
        });
        candidates.push(good("2026-11-21T13:00:00Z"));
        let policy = RetentionPolicy {
            keep_last: Some(3),
            keep_hourly: Some(5),
            keep_daily: Some(3),
            keep_weekly: Some(2),
            keep_days: Some(2),
            ..Default::default()
        };
        let reference = plan(&candidates, &policy, t(NOW));
        let mut rng = Lcg(42);
        for _ in 0..20 {
            rng.shuffle(&mut candidates);
            assert_eq!(plan(&candidates, &policy, t(NOW)), reference);
        }
        // Ties by id: "2026-11-21T13:00:00Z" sorts before "another".
        let tied: Vec<&str> = reference
            .iter()
            .filter(|d| d.time == t("2026-11-21T13:00:00Z"))
            .map(|d| d.id.as_str())
            .collect();
        assert_eq!(
            tied,
            ["2026-11-21T13:00:00Z", "2026-11-21T13:00:00Z", "another"]
        );
    }

    #[test]
    fn extreme_times_do_not_panic() {
        let policy = RetentionPolicy {
            keep_days: Some(u32::MAX),
            keep_last: Some(u32::MAX),
            keep_hourly: Some(u32::MAX),
            keep_daily: Some(u32::MAX),
            keep_weekly: Some(u32::MAX),
            keep_monthly: Some(u32::MAX),
            min_keep: Some(u32::MAX),
        };
        let edges = [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC, t(NOW)];
        let candidates: Vec<Candidate> = edges
            .iter()
            .enumerate()
            .map(|(i, &time)| Candidate {
                id: i.to_string(),
                time,
                good: i != 2,
            })
            .collect();
        for &now in &edges {
            for p in [&policy, &RetentionPolicy::default()] {
                let decisions = plan(&candidates, p, now);
                assert_eq!(decisions.len(), 3);
            }
        }
        let decisions = plan(&candidates, &policy, DateTime::<Utc>::MAX_UTC);
        // min-keep u32::MAX cannot be met by two good backups, so the bad one stays.
        assert_eq!(kept_ids(&decisions), ["1", "2", "0"]);
    }

    /// Random candidates and policies; properties that must hold for all of them.
    #[test]
    fn randomized_invariants() {
        let mut rng = Lcg(0x5eed);
        let now = t(NOW);
        let opt = |rng: &mut Lcg| match rng.below(4) {
            0 => None,
            1 => Some(0),
            2 => Some(rng.below(5) as u32 + 1),
            _ => Some(rng.below(60) as u32),
        };
        for round in 0..500 {
            let n = rng.below(40);
            let span_minutes = [90, 60 * 48, 60 * 24 * 120, 60 * 24 * 800][rng.below(4) as usize];
            let candidates: Vec<Candidate> = (0..n)
                .map(|k| {
                    // Mostly the past, some within the skew tolerance, some future.
                    let offset = rng.below(span_minutes) as i64 - 10;
                    Candidate {
                        id: format!("c{k}"),
                        time: now - TimeDelta::minutes(offset)
                            + TimeDelta::seconds(rng.below(60) as i64),
                        good: rng.below(5) != 0,
                    }
                })
                .collect();
            let policy = RetentionPolicy {
                keep_days: opt(&mut rng),
                keep_last: opt(&mut rng),
                keep_hourly: opt(&mut rng),
                keep_daily: opt(&mut rng),
                keep_weekly: opt(&mut rng),
                keep_monthly: opt(&mut rng),
                min_keep: opt(&mut rng),
            };
            let decisions = plan(&candidates, &policy, now);
            let ctx = || format!("round {round}: {policy:?}\n{decisions:#?}");

            // Exactly one decision per candidate, matching it.
            assert_eq!(decisions.len(), candidates.len(), "{}", ctx());
            let mut ids: Vec<&str> = decisions.iter().map(|d| d.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), candidates.len(), "{}", ctx());
            for d in &decisions {
                let c = candidates
                    .iter()
                    .find(|c| c.id == d.id)
                    .expect("decision for a known candidate");
                assert_eq!(c.time, d.time, "{}", ctx());
                assert!(!d.reasons.is_empty(), "{}", ctx());
            }

            // Newest first, ties by id.
            for pair in decisions.windows(2) {
                if let [a, b] = pair {
                    assert!(
                        a.time > b.time || (a.time == b.time && a.id <= b.id),
                        "{}",
                        ctx()
                    );
                }
            }

            // Enough good backups kept.
            let good_total = candidates.iter().filter(|c| c.good).count();
            let good_kept = decisions
                .iter()
                .filter(|d| d.action == Action::Keep)
                .filter(|d| candidates.iter().any(|c| c.id == d.id && c.good))
                .count();
            let floor = good_total.min(policy.min_keep() as usize);
            assert!(good_kept >= floor, "{}", ctx());

            // The newest good backup not in the future is never lost unless
            // min-keep 0 says so.
            let newest_good = decisions.iter().find(|d| {
                d.time <= now + CLOCK_SKEW_TOLERANCE
                    && candidates.iter().any(|c| c.id == d.id && c.good)
            });
            if let (Some(d), true) = (newest_good, policy.min_keep() >= 1) {
                assert_eq!(d.action, Action::Keep, "{}", ctx());
            }

            // Future candidates are always kept; an empty policy keeps all.
            for d in &decisions {
                if d.time > now + CLOCK_SKEW_TOLERANCE || policy.is_empty() {
                    assert_eq!(d.action, Action::Keep, "{}", ctx());
                }
            }
        }
    }
}
