//! Points in time as milliseconds since the Unix epoch (UTC), the clock that supplies them,
//! and the other outside input the domain takes as a parameter: randomness.
//!
//! The domain never reads the system clock: callers pass a `Timestamp` or a `Clock`.

use std::fmt;

#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    pub const fn from_unix_millis(ms: i64) -> Self {
        Timestamp(ms)
    }

    pub const fn unix_millis(self) -> i64 {
        self.0
    }

    /// The civil date and time in Japan (UTC+9, no daylight saving), as
    /// `(year, month, day, hour, minute, second)`.
    pub fn jst_parts(self) -> (i64, u8, u8, u8, u8, u8) {
        let secs = self.0.div_euclid(1000) + 9 * 3600;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (
            y,
            m,
            d,
            (rem / 3600) as u8,
            (rem % 3600 / 60) as u8,
            (rem % 60) as u8,
        )
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// RFC 3339 in Japan time: `2026-04-01T09:00:00+09:00`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.jst_parts();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}+09:00")
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Where "now" comes from. The binary uses the system clock; tests use a fixed one.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// Where random bytes come from (tokens, keys, codes). The binary uses the operating
/// system; tests use a seeded generator.
pub trait Entropy: Send + Sync {
    fn fill(&self, buf: &mut [u8]);
}

/// A clock that always says the same time.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jst_is_nine_hours_ahead() {
        // 2024-03-31T15:00:00Z is 2024-04-01 00:00 in Japan.
        let t = Timestamp::from_unix_millis(1_711_897_200_000);
        assert_eq!(t.jst_parts(), (2024, 4, 1, 0, 0, 0));
        assert_eq!(format!("{t:?}"), "2024-04-01T00:00:00+09:00");
    }

    #[test]
    fn before_epoch() {
        let t = Timestamp::from_unix_millis(-1);
        assert_eq!(t.jst_parts(), (1970, 1, 1, 8, 59, 59));
    }
}
