// Import rules over the whole tree, type-only imports included (tsPreCompilationDeps): no cycles, and the one-way
// zones of the data flow (cell text → dsl → runtime → render → session → kernel). The one place these rules live;
// eslint keeps the rules about code (floating promises, default exports).

/** Who may not import whom: the data flows one way and the runtime knows nothing of the language or the pictures. */
const zones = [
  { name: 'dsl-below-session', from: '^dsl/', to: '^(kernel|session)/', comment: 'dsl/ is below kernel/ and session/.' },
  {
    name: 'runtime-alone',
    from: '^runtime/',
    to: '^(kernel|session|dsl|render)/',
    comment: 'runtime/ knows nothing of the language, the session, the kernel or rendering.',
  },
  {
    name: 'render-below-session',
    from: '^render/',
    to: '^(session|kernel)/',
    comment: 'render/ returns MIME bundles; it is called by session/, never the reverse.',
  },
  // The training step (streams, micro-batches, the gradient engine) is below the pool; only the loop, which
  // chooses between this thread and the pool, imports it.
  {
    name: 'train-step-below-pool',
    from: '^runtime/train/',
    to: '^runtime/pool/',
    except: '^runtime/train/loop[.]ts$',
    comment: 'runtime/pool/ runs the training step of runtime/train/; the step never imports the pool.',
  },
];

export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle, counting `import type`: untangle it so each folder reads one way.',
      from: {},
      to: { circular: true },
    },
    ...zones.map((z) => ({
      name: z.name,
      severity: 'error',
      comment: z.comment,
      from: { path: z.from, ...(z.except ? { pathNot: z.except } : {}) },
      to: { path: z.to },
    })),
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|asm)/' },
  },
};
