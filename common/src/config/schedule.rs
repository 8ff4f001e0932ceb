//! Schedules (5-field crontab expressions) and durations (`26h`, `7d`).
//!
//! Backups run from cron, so schedules are written as crontab writes them: `minute hour
//! day-of-month month day-of-week`, with 0 or 7 for Sunday, or `@hourly`, `@daily`, `@weekly`,
//! `@monthly`, `@yearly`. The same expression tells `status` how old the newest backup may be: a
//! backup missing for two scheduled runs is an alarm.

use chrono::{DateTime, Local, TimeZone, Utc};

const FIELD_NAMES: [&str; 5] = ["minute", "hour", "day of month", "month", "day of week"];

/// A parsed crontab schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    source: String,
    inner: cron::Schedule,
}

impl Schedule {
    /// Parses a 5-field crontab expression or an `@keyword`; the error names the bad field.
    pub fn parse(expr: &str) -> Result<Schedule, String> {
        let expr = expr.trim();
        if expr.starts_with('@') {
            let inner: cron::Schedule = expr.parse().map_err(|e| {
                format!("schedule '{expr}': unknown keyword ({e}); use @hourly, @daily, @weekly, @monthly or @yearly")
            })?;
            return Ok(Schedule {
                source: expr.to_string(),
                inner,
            });
        }
        let fields: Vec<&str> = expr.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "schedule '{expr}' has {} field(s); a crontab schedule has 5: minute hour day-of-month month day-of-week",
                fields.len()
            ));
        }
        let dow = translate_day_of_week(fields[4])
            .map_err(|e| format!("schedule '{expr}': day of week field '{}': {e}", fields[4]))?;
        let full = format!(
            "0 {} {} {} {} {}",
            fields[0], fields[1], fields[2], fields[3], dow
        );
        match full.parse::<cron::Schedule>() {
            Ok(inner) => {
                // `0 0 30 2 *` parses but never comes: a backup scheduled so would never run, and
                // status could never judge it. Every real schedule fires within eight years
                // (29 February included).
                let probe = Utc::now();
                let fires = inner
                    .after(&probe)
                    .next()
                    .is_some_and(|t| t - probe < chrono::Duration::days(8 * 366));
                if !fires {
                    return Err(format!(
                        "schedule '{expr}' never fires (no such date); check the day of month and month"
                    ));
                }
                Ok(Schedule {
                    source: expr.to_string(),
                    inner,
                })
            }
            Err(e) => {
                // Find the field at fault by trying each one alone in an otherwise open schedule.
                let mut parts = ["*"; 5];
                for i in 0..5 {
                    parts = ["*"; 5];
                    let value = if i == 4 { dow.as_str() } else { fields[i] };
                    parts[i] = value;
                    let probe = format!("0 {}", parts.join(" "));
                    if probe.parse::<cron::Schedule>().is_err() {
                        return Err(format!(
                            "schedule '{expr}': {} field '{}' is invalid",
                            FIELD_NAMES[i], fields[i]
                        ));
                    }
                }
                let _ = parts;
                Err(format!("schedule '{expr}' is invalid: {e}"))
            }
        }
    }

    /// The expression as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The `n` most recent scheduled times at or before `now`, newest first (cron's local time).
    pub fn previous(&self, now: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        let local_now = Local.from_utc_datetime(&now.naive_utc());
        // `after(t)` yields times strictly after t; its back end walks towards the past from t.
        let probe = local_now + chrono::Duration::seconds(1);
        self.inner
            .after(&probe)
            .rev()
            .take(n)
            .map(|t| t.with_timezone(&Utc))
            .collect()
    }

    /// The next scheduled time after `now`.
    pub fn next(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local_now = Local.from_utc_datetime(&now.naive_utc());
        self.inner
            .after(&local_now)
            .next()
            .map(|t| t.with_timezone(&Utc))
    }

    /// The oldest start time a newest backup may have before `status` raises an alarm: the
    /// second most recent scheduled run. One missed run is tolerated, two are not.
    pub fn alarm_threshold(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.previous(now, 2).get(1).copied()
    }
}

impl Schedule {
    /// The schedule as systemd `OnCalendar=` expressions (local time, like cron). One line
    /// usually; two when both day of month and day of week are restricted, which cron reads as
    /// "either" and systemd as "both".
    pub fn to_systemd(&self) -> Result<Vec<String>, String> {
        let src = self.source.trim();
        match src {
            "@hourly" => return Ok(vec!["*-*-* *:00:00".into()]),
            "@daily" | "@midnight" => return Ok(vec!["*-*-* 00:00:00".into()]),
            "@weekly" => return Ok(vec!["Sun *-*-* 00:00:00".into()]),
            "@monthly" => return Ok(vec!["*-*-01 00:00:00".into()]),
            "@yearly" | "@annually" => return Ok(vec!["*-01-01 00:00:00".into()]),
            _ => {}
        }
        let f: Vec<&str> = src.split_whitespace().collect();
        let [min, hour, dom, mon, dow] = f.as_slice() else {
            return Err(format!(
                "schedule '{src}' is not a 5-field crontab expression"
            ));
        };
        let minutes = expand(min, 0, 59, &[])?;
        let hours = expand(hour, 0, 23, &[])?;
        let days = expand(dom, 1, 31, &[])?;
        let months = expand(
            mon,
            1,
            12,
            &[
                "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
            ],
        )?;
        let mut weekdays = expand(
            dow,
            0,
            7,
            &["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
        )?;
        if weekdays.contains(&7) {
            weekdays.retain(|d| *d != 7);
            if !weekdays.contains(&0) {
                weekdays.insert(0, 0);
            }
        }
        let list = |v: &[u32], full: usize, width: usize| -> String {
            if v.len() == full {
                "*".into()
            } else {
                v.iter()
                    .map(|x| format!("{x:0width$}"))
                    .collect::<Vec<_>>()
                    .join(",")
            }
        };
        const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        let dow_s = if weekdays.len() == 7 {
            String::new()
        } else {
            let names: Vec<&str> = weekdays.iter().map(|d| DAYS[*d as usize % 7]).collect();
            format!("{} ", names.join(","))
        };
        let time = format!("{}:{}:00", list(&hours, 24, 2), list(&minutes, 60, 2));
        let date = |dom: &str| format!("*-{}-{dom}", list(&months, 12, 2));
        // cron's rule: when both day fields are restricted (neither starts with `*`), a day
        // matches if either does; otherwise both must (`*/2` counts as starting with `*`).
        let either = !dom.starts_with('*') && !dow.starts_with('*');
        Ok(if either {
            vec![
                format!("{} {time}", date(&list(&days, 31, 2))),
                format!("{dow_s}{} {time}", date("*")),
            ]
        } else {
            vec![format!("{dow_s}{} {time}", date(&list(&days, 31, 2)))]
        })
    }
}

/// The values a crontab field stands for, sorted: `*`, `a`, `a-b`, `*/n`, `a-b/n`, `a/n`, lists of
/// these, and names (`names[i]` stands for `lo + i`).
fn expand(field: &str, lo: u32, hi: u32, names: &[&str]) -> Result<Vec<u32>, String> {
    let value = |s: &str| -> Result<u32, String> {
        let l = s.to_ascii_lowercase();
        if let Some(i) = names.iter().position(|n| *n == l) {
            return Ok(lo + i as u32);
        }
        s.parse::<u32>()
            .ok()
            .filter(|v| (lo..=hi).contains(v))
            .ok_or_else(|| format!("'{s}' is not in {lo}-{hi}"))
    };
    let mut out = std::collections::BTreeSet::new();
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (
                r,
                s.parse::<u32>()
                    .ok()
                    .filter(|s| *s > 0)
                    .ok_or_else(|| format!("step '{s}' is not a positive number"))?,
            ),
            None => (item, 1),
        };
        let (a, b) = if range == "*" {
            (lo, hi)
        } else if let Some((a, b)) = range.split_once('-') {
            (value(a)?, value(b)?)
        } else if item.contains('/') {
            (value(range)?, hi)
        } else {
            let v = value(range)?;
            (v, v)
        };
        let mut v = a;
        while v <= b {
            out.insert(v);
            v += step;
        }
    }
    Ok(out.into_iter().collect())
}

/// Maps crontab day-of-week numbers (0-7, 0 and 7 Sunday) to names, which mean the same to
/// every parser.
fn translate_day_of_week(field: &str) -> Result<String, String> {
    const NAMES: [&str; 8] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"];
    let mut out = Vec::new();
    for item in field.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, Some(s)),
            None => (item, None),
        };
        let map = |s: &str| -> Result<String, String> {
            if s.chars().all(|c| c.is_ascii_digit()) {
                let n: usize = s.parse().map_err(|_| format!("'{s}' is not a day"))?;
                NAMES
                    .get(n)
                    .map(|n| n.to_string())
                    .ok_or_else(|| format!("'{s}' is out of range 0-7"))
            } else {
                Ok(s.to_string())
            }
        };
        let mapped = match range.split_once('-') {
            Some((a, b)) => {
                // 5-7 means Friday to Sunday; written with names, a range must not wrap.
                if b == "7" && a != "0" {
                    let left = format!("{}-SAT", map(a)?);
                    out.push(match step {
                        Some(s) => format!("{left}/{s}"),
                        None => left,
                    });
                    if step.is_none() {
                        out.push("SUN".into());
                    }
                    continue;
                }
                format!("{}-{}", map(a)?, map(b)?)
            }
            None => map(range)?,
        };
        out.push(match step {
            Some(s) => format!("{mapped}/{s}"),
            None => mapped,
        });
    }
    Ok(out.join(","))
}

/// Parses a duration such as `26h`, `90m`, `7d`, `2w`, `3600s` or `1d12h`.
pub fn parse_duration(s: &str) -> Result<chrono::Duration, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty duration".into());
    }
    let mut total = chrono::Duration::zero();
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: i64 = num
            .parse()
            .map_err(|_| format!("duration '{s}': a number must come before '{c}'"))?;
        num.clear();
        let part = match c {
            's' => chrono::Duration::try_seconds(n),
            'm' => chrono::Duration::try_minutes(n),
            'h' => chrono::Duration::try_hours(n),
            'd' => chrono::Duration::try_days(n),
            'w' => chrono::Duration::try_weeks(n),
            _ => {
                return Err(format!(
                    "duration '{s}': unknown unit '{c}' (use s, m, h, d, w)"
                ))
            }
        }
        .ok_or_else(|| format!("duration '{s}' is too large"))?;
        total += part;
    }
    if !num.is_empty() {
        return Err(format!(
            "duration '{s}': the number {num} has no unit (use s, m, h, d, w)"
        ));
    }
    Ok(total)
}

/// Formats a duration for people: `3d 4h`, `26h 5m`, `45s`.
pub fn format_duration(d: chrono::Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (days, hours, mins, s) = (
        secs / 86400,
        (secs % 86400) / 3600,
        (secs % 3600) / 60,
        secs % 60,
    );
    match (days, hours, mins) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, m) => format!("{m}m {s}s"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systemd_calendar_from_crontab() {
        let c = |s: &str| Schedule::parse(s).expect(s).to_systemd().expect(s);
        assert_eq!(c("0 * * * *"), ["*-*-* *:00:00"]);
        assert_eq!(c("0 3 * * 0"), ["Sun *-*-* 03:00:00"]);
        assert_eq!(c("30 2 * * 1-5"), ["Mon,Tue,Wed,Thu,Fri *-*-* 02:30:00"]);
        assert_eq!(c("*/15 * * * *"), ["*-*-* *:00,15,30,45:00"]);
        assert_eq!(c("0 0 1 */3 *"), ["*-01,04,07,10-01 00:00:00"]);
        assert_eq!(c("0 4 1 * 7"), ["*-*-01 04:00:00", "Sun *-*-* 04:00:00"]);
        assert_eq!(c("@weekly"), ["Sun *-*-* 00:00:00"]);
    }

    #[test]
    fn a_schedule_that_never_fires_is_refused() {
        let e = Schedule::parse("0 0 30 2 *").expect_err("30 February");
        assert!(e.contains("never fires"), "{e}");
        assert!(
            Schedule::parse("0 0 29 2 *").is_ok(),
            "29 February comes every four years"
        );
        assert!(Schedule::parse("0 3 * * 0").is_ok());
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("valid time")
    }

    #[test]
    fn crontab_forms_parse() {
        for ok in [
            "0 * * * *",
            "0 3 * * 0",
            "*/15 * * * 1-5",
            "30 2 1 * *",
            "@daily",
            "0 3 * * 7",
            "0 3 * * 5-7",
        ] {
            assert!(Schedule::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn errors_name_the_field() {
        let e = Schedule::parse("0 25 * * *").expect_err("hour 25");
        assert!(e.contains("hour field '25'"), "{e}");
        let e = Schedule::parse("61 * * * *").expect_err("minute 61");
        assert!(e.contains("minute field"), "{e}");
        let e = Schedule::parse("0 3 * * 9").expect_err("dow 9");
        assert!(e.contains("day of week"), "{e}");
        let e = Schedule::parse("0 3 * *").expect_err("4 fields");
        assert!(e.contains("has 4 field"), "{e}");
    }

    #[test]
    fn sunday_is_zero_and_seven() {
        // Sunday 2026-11-22; the local zone may differ, so compare weekdays in local time.
        std::env::set_var("TZ", "UTC");
        let s0 = Schedule::parse("0 3 * * 0").expect("parses");
        let s7 = Schedule::parse("0 3 * * 7").expect("parses");
        let now = t("2026-11-25T12:00:00Z");
        assert_eq!(s0.previous(now, 1), s7.previous(now, 1));
        use chrono::Datelike;
        assert_eq!(s0.previous(now, 1)[0].weekday(), chrono::Weekday::Sun);
    }

    #[test]
    fn hourly_alarm_threshold_is_two_runs_back() {
        std::env::set_var("TZ", "UTC");
        let s = Schedule::parse("0 * * * *").expect("parses");
        let now = t("2026-11-21T14:30:00Z");
        assert_eq!(
            s.previous(now, 2),
            vec![t("2026-11-21T14:00:00Z"), t("2026-11-21T13:00:00Z")]
        );
        assert_eq!(s.alarm_threshold(now), Some(t("2026-11-21T13:00:00Z")));
        assert_eq!(s.next(now), Some(t("2026-11-21T15:00:00Z")));
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("26h"), Ok(chrono::Duration::hours(26)));
        assert_eq!(parse_duration("1d12h"), Ok(chrono::Duration::hours(36)));
        assert_eq!(parse_duration("90m"), Ok(chrono::Duration::minutes(90)));
        assert!(parse_duration("26").is_err());
        assert!(parse_duration("5y").is_err());
        assert_eq!(format_duration(chrono::Duration::hours(27)), "1d 3h");
    }
}
