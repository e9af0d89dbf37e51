//! Parsing and formatting of amounts.
use azpay_core::{Amount, Currency};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn money(c: &mut Criterion) {
    c.bench_function("amount_parse_major", |b| {
        b.iter(|| Amount::parse_major(black_box(azpay_benches::SAMPLE_AMOUNT), Currency::AZN))
    });
    let a = Amount::from_minor(1_234_567, Currency::AZN);
    c.bench_function("amount_to_major_string", |b| {
        b.iter(|| black_box(a).to_major_string())
    });
}

criterion_group!(benches, money);
criterion_main!(benches);
