//! The bounded TWEC XML reader on hostile documents as large as the body limit allows
//! (`azpay_benches::twec::hostile_shapes`): many attributes, deep nesting, many siblings,
//! long names, many references, long text. Each shape is timed through both readers, a
//! GetOrderInformation answer and XMLOut; the target is under 50 ms per call in a release
//! build, read or refused.
use std::time::Duration;

use azpay_benches::twec;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn shapes(c: &mut Criterion) {
    let (cfg, op) = (twec::config(), twec::information_op());
    for (shape, doc) in twec::hostile_shapes() {
        let mut g = c.benchmark_group(format!("xml_bounds/{shape}"));
        g.bench_function("answer", |b| {
            b.iter(|| twec::azpay_information_any(&op, &cfg, black_box(&doc)))
        });
        g.bench_function("xmlout", |b| {
            b.iter(|| twec::azpay_xmlout_any(black_box(&doc)))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(10);
    targets = shapes
}
criterion_main!(benches);
