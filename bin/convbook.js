#!/usr/bin/env node
// The `convbook` command: runs the compiled CLI (npm install builds dist/ through `prepare`).
import '../dist/kernel/main.js';
