//! Result rows, printed as each figure is measured and again as the final table.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    /// Not measured, with the reason.
    Skip(String),
    /// Context, not judged against a target.
    Info,
}

impl Status {
    pub fn judge(ok: bool) -> Status {
        if ok {
            Status::Pass
        } else {
            Status::Fail
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Skip(_) => "SKIP",
            Status::Info => "info",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub figure: String,
    pub measured: String,
    pub target: String,
    pub status: Status,
}

#[derive(Default)]
pub struct Report {
    pub rows: Vec<Row>,
}

impl Report {
    /// Record a row and print it at once.
    pub fn add(&mut self, figure: &str, measured: String, target: &str, status: Status) {
        let row = Row {
            figure: figure.to_string(),
            measured,
            target: target.to_string(),
            status,
        };
        match &row.status {
            Status::Skip(why) => println!("  => {}: SKIP ({why})", row.figure),
            s => println!(
                "  => {}: {} (target {}) {}",
                row.figure,
                row.measured,
                row.target,
                s.label()
            ),
        }
        self.rows.push(row);
    }

    pub fn print_table(&self) {
        let w0 = self
            .rows
            .iter()
            .map(|r| r.figure.chars().count())
            .max()
            .unwrap_or(6)
            .max(6);
        let measured = |r: &Row| match &r.status {
            Status::Skip(why) => why.clone(),
            _ => r.measured.clone(),
        };
        let w1 = self
            .rows
            .iter()
            .map(|r| measured(r).chars().count())
            .max()
            .unwrap_or(8)
            .max(8);
        let w2 = self
            .rows
            .iter()
            .map(|r| r.target.chars().count())
            .max()
            .unwrap_or(6)
            .max(6);
        println!();
        println!(
            "{:<w0$} | {:<w1$} | {:<w2$} | Result",
            "Figure", "Measured", "Target"
        );
        println!(
            "{}-|-{}-|-{}-|-------",
            "-".repeat(w0),
            "-".repeat(w1),
            "-".repeat(w2)
        );
        for r in &self.rows {
            println!(
                "{:<w0$} | {:<w1$} | {:<w2$} | {}",
                r.figure,
                measured(r),
                r.target,
                r.status.label()
            );
        }
        let count = |s: &str| self.rows.iter().filter(|r| r.status.label() == s).count();
        println!(
            "\n{} PASS, {} FAIL, {} SKIP",
            count("PASS"),
            count("FAIL"),
            count("SKIP")
        );
    }
}

/// Decimal megabytes per second.
pub fn mb_per_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Nearest-rank percentile of sorted samples (`p` in 0..=100).
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    percentile(&v, 50.0)
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 20) as f64
}
