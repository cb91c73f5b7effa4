/** The store engines the suites run on: both unless GIFTDESK_TEST_ENGINES narrows it (e.g. "sqlite"). */
export const allEngines = ['sqlite', 'postgres'] as const;
export type Engine = (typeof allEngines)[number];

export function selectedEngines(env: NodeJS.ProcessEnv = process.env): Engine[] {
  const wanted = env['GIFTDESK_TEST_ENGINES']?.split(',').map((e) => e.trim()).filter(Boolean);
  if (!wanted || wanted.length === 0) return [...allEngines];
  for (const engine of wanted) {
    if (!(allEngines as readonly string[]).includes(engine)) {
      throw new Error(`GIFTDESK_TEST_ENGINES: unknown engine "${engine}" (known: ${allEngines.join(', ')})`);
    }
  }
  return wanted as Engine[];
}

/** The claim-code key every team-mode test console shares (test data only). */
export const TEST_SECRET_KEY = '5a17'.repeat(16);

export const PG_TEMPLATE_EMPTY = 'giftdesk_template_empty';
export const PG_TEMPLATE_DEMO = 'giftdesk_template_demo';
