//! Per-operation cost: azpay beside the floor (the same bytes from a hand-composed minimal
//! sequence of the same primitives; see `azpay_benches` for the equality tests).
//!
//! Short runs by default (1 s warm-up, 3 s measurement) so the suite fits in a few minutes.
use std::time::Duration;

use azpay_benches::{azericard, epoint, fixtures, kapital, payriff, twec};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn ops(c: &mut Criterion) {
    let mut g = c.benchmark_group("epoint_pay_build");
    let (cfg, op) = (epoint::config(), epoint::pay_op());
    g.bench_function("azpay", |b| {
        b.iter(|| epoint::azpay_pay(black_box(&op), &cfg))
    });
    g.bench_function("floor", |b| {
        b.iter(|| epoint::floor_pay(black_box(&epoint::PAY)))
    });
    g.finish();

    let mut g = c.benchmark_group("epoint_callback_verify");
    let body = epoint::callback_body();
    g.bench_function("azpay", |b| {
        b.iter(|| epoint::azpay_callback(&cfg, black_box(&body)))
    });
    g.bench_function("floor", |b| {
        b.iter(|| epoint::floor_callback(black_box(&body)))
    });
    g.finish();

    let mut g = c.benchmark_group("azericard_pay_form_build_sign");
    let (acfg, aop, akeys) = (
        azericard::config(),
        azericard::pay_op(),
        azericard::floor_keys(),
    );
    g.bench_function("azpay", |b| {
        b.iter(|| azericard::azpay_pay(black_box(&aop), &acfg))
    });
    g.bench_function("floor", |b| {
        b.iter(|| azericard::floor_pay(black_box(&akeys)))
    });
    g.finish();

    let mut g = c.benchmark_group("azericard_callback_verify");
    let abody = azericard::callback_body(&akeys);
    g.bench_function("azpay", |b| {
        b.iter(|| azericard::azpay_callback(&acfg, black_box(&abody)))
    });
    g.bench_function("floor", |b| {
        b.iter(|| azericard::floor_callback(&akeys, black_box(&abody)))
    });
    g.finish();

    let mut g = c.benchmark_group("kapital_create_order_build");
    let (kcfg, kop) = (kapital::config(), kapital::create_op());
    g.bench_function("azpay", |b| {
        b.iter(|| kapital::azpay_create(black_box(&kop), &kcfg))
    });
    g.bench_function("floor", |b| {
        b.iter(|| kapital::floor_create(black_box(100)))
    });
    g.finish();

    let mut g = c.benchmark_group("kapital_detailed_order_parse");
    let gop = kapital::get_op();
    g.bench_function("azpay", |b| {
        b.iter(|| kapital::azpay_order(&gop, &kcfg, kapital::detailed_response()))
    });
    g.bench_function("floor", |b| {
        b.iter(|| kapital::floor_order(kapital::detailed_response()))
    });
    g.finish();

    let mut g = c.benchmark_group("payriff_create_order_build");
    let (pcfg, pop) = (payriff::config(), payriff::create_op());
    g.bench_function("azpay", |b| {
        b.iter(|| payriff::azpay_create(black_box(&pop), &pcfg))
    });
    g.bench_function("floor", |b| {
        b.iter(|| payriff::floor_create(black_box(1050)))
    });
    g.finish();

    let mut g = c.benchmark_group("payriff_order_parse");
    let pgop = payriff::get_op();
    g.bench_function("azpay", |b| {
        b.iter(|| payriff::azpay_order(&pgop, &pcfg, payriff::order_response()))
    });
    g.bench_function("floor", |b| {
        b.iter(|| payriff::floor_order(payriff::order_response()))
    });
    g.finish();

    let mut g = c.benchmark_group("twec_create_order_build");
    let (tcfg, top) = (twec::config(), twec::create_op());
    g.bench_function("azpay", |b| {
        b.iter(|| twec::azpay_create(black_box(&top), &tcfg))
    });
    g.bench_function("floor", |b| {
        b.iter(|| twec::floor_create(black_box(123_456), black_box("xxxxxxxx")))
    });
    g.finish();

    let mut g = c.benchmark_group("twec_order_information_parse");
    let iop = twec::information_op();
    g.bench_function("azpay", |b| {
        b.iter(|| twec::azpay_information(&iop, &tcfg, twec::information_response()))
    });
    g.bench_function("floor", |b| {
        b.iter(|| twec::floor_information(twec::information_response()))
    });
    g.finish();

    let mut g = c.benchmark_group("twec_xmlout_parse");
    let form = fixtures::TWEC_XMLOUT_FORM;
    g.bench_function("azpay", |b| b.iter(|| twec::azpay_xmlout(black_box(form))));
    g.bench_function("floor", |b| b.iter(|| twec::floor_xmlout(black_box(form))));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = ops
}
criterion_main!(benches);
