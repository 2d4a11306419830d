
const _EXTRA: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../{{plain}}/tests/extra_{{plain.last_test}}.rs"));
