
const _STOLEN: &str = include_str!("{{solutions}}/{{given}}/src/lib.rs");
