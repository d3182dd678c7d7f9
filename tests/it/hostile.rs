//! Hostile and broken input: each file of the corpus under tests/hostile/.
