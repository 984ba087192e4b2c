// The translation unit that builds the precompiled headers (CMakeLists.txt, "Precompiled
// headers"); it has no code of its own.
