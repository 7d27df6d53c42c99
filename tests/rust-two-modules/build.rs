fn main() {
    parpyc_build::Build::new(
        "../../examples/mv_f32/mv_f32.py",
        "../../examples/mv_f32/mv_f32.toml",
    )
    .compile();
    parpyc_build::Build::new(
        "../../examples/sum_rows/sum_rows.py",
        "../../examples/sum_rows/sum_rows.toml",
    )
    .compile();
}
