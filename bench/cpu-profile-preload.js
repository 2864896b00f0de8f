"use strict";
/**
 * Preloaded into the provider host for the profiled run (NODE_OPTIONS --require). Node refuses
 * --cpu-prof in NODE_OPTIONS and the host driver takes no execArgv, so this drives the same V8 sampling
 * profiler (1 ms, --cpu-prof's default) through the inspector: SIGUSR2 starts it, so start-up is left out
 * (start-up has its own figure), and SIGTERM writes a .cpuprofile into BENCH_CPU_PROF_DIR and exits normally.
 */
const fs = require("node:fs");
const inspector = require("node:inspector");
const path = require("node:path");

const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  let started = false;
  process.on("SIGUSR2", () => {
    if (started) return;
    started = true;
    session.post("Profiler.start", () => process.stderr.write("cpu-profile-preload: profiling\n"));
  });
  process.once("SIGTERM", () => {
    if (!started) process.exit(0);
    session.post("Profiler.stop", (error, result) => {
      if (error) process.stderr.write(`cpu-profile-preload: could not stop the profiler: ${error.message}\n`);
      else fs.writeFileSync(path.join(dir, `host-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
      process.exit(0);
    });
  });
}
