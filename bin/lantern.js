#!/usr/bin/env node
'use strict';
// Thin launcher for the compiled CLI (`npm install` builds it; see README.md).
require('../build/electron/cli/lantern.js').runCli(process.argv.slice(2));
