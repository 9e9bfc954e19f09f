import { randomInt } from 'node:crypto';

// MLflow names unnamed runs "<adjective>-<noun>-<number>"; Lathe keeps that habit so runs
// are easy to tell apart in lists.
const ADJECTIVES = ['amber', 'bold', 'brisk', 'calm', 'clever', 'crisp', 'eager', 'fleet', 'gentle', 'keen', 'lucid', 'mellow', 'nimble', 'quiet', 'rapid', 'sturdy', 'swift', 'vivid', 'wise', 'zesty'];
const NOUNS = ['otter', 'falcon', 'maple', 'comet', 'harbor', 'lynx', 'quartz', 'raven', 'cedar', 'ember', 'heron', 'lark', 'orca', 'pine', 'reef', 'sparrow', 'tide', 'willow', 'wren', 'yak'];

/** A readable random run name such as `keen-otter-417`. */
export function randomRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
