//! `hash [MiB]`: the backup verifier's SHA-256 against `sha256sum` and `openssl dgst -sha256`
//! on the same file, same run (single stream each), and a folder of two files on both cores.
//! Each figure is the middle of three runs; the file is read once before, so all read from the
//! page cache.

use std::io::Write;
use std::time::{Duration, Instant};

fn middle(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time(mut f: impl FnMut()) -> Duration {
    middle(
        (0..3)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn tool(cmd: &str, args: &[&str]) -> Duration {
    time(|| {
        let out = std::process::Command::new(cmd).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    })
}

fn rate(mib: u64, d: Duration) -> f64 {
    mib as f64 / d.as_secs_f64()
}

pub fn run(mib: u64) {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    std::fs::create_dir(&one).unwrap();
    let file = one.join("backup.img");
    // Not random (the hash does not care) but not all zeros either.
    let mut w = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    let block: Vec<u8> = (0..1024 * 1024)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    for i in 0..mib {
        let mut b = block.clone();
        b[0] = i as u8;
        w.write_all(&b).unwrap();
    }
    w.flush().unwrap();
    drop(w);
    let path = file.to_str().unwrap();
    let _ = std::fs::read(&file).unwrap();
    let mamori = time(|| {
        service::backup::hash_file(&file).unwrap();
    });
    let sha256sum = tool("sha256sum", &[path]);
    let openssl = tool("openssl", &["dgst", "-sha256", path]);
    // Two files of the same size in one folder: the manifest uses both cores.
    let two = dir.path().join("two");
    std::fs::create_dir(&two).unwrap();
    std::fs::copy(&file, two.join("a.img")).unwrap();
    std::fs::copy(&file, two.join("b.img")).unwrap();
    let both = time(|| {
        service::backup::manifest(&two, 2, None).unwrap();
    });
    println!("| file | Mamori | sha256sum | openssl dgst -sha256 | Mamori / OpenSSL |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| {mib} MiB, one stream | {:.0} MiB/s | {:.0} MiB/s | {:.0} MiB/s | {:.2}× |",
        rate(mib, mamori),
        rate(mib, sha256sum),
        rate(mib, openssl),
        rate(mib, mamori) / rate(mib, openssl)
    );
    println!(
        "| 2 × {mib} MiB, manifest on 2 cores | {:.0} MiB/s | | | {:.2}× one stream |",
        rate(2 * mib, both),
        rate(2 * mib, both) / rate(mib, mamori)
    );
}
