fn main() {
    // The tutorial's matrix-vector product in float32: a block of 256 threads reduces each row.
    // Writes $OUT_DIR/parpyc/mv_f32.rs, which src/main.rs includes.
    parpyc_build::Build::new("../mv_f32/mv_f32.py", "../mv_f32/mv_f32.toml").compile();
}
