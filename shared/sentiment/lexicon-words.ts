/**
 * Hand-written sentiment lexicon for the offline analyzer. Weights are this project's own
 * judgement (integers, -4 strongly negative .. +4 strongly positive), tuned for two domains:
 * consumer-finance complaints (CFPB narratives) and short consumer-electronics reviews.
 *
 * Words are grouped by weight in whitespace-separated strings so the list stays compact and
 * easy to scan; phrases are comma-separated because they contain spaces.
 */

const WORDS_BY_VALENCE: Readonly<Record<number, string>> = {
  // Listed so the plural fallback cannot read them as their singular ("goods" is not "good").
  0: `
    goods kindly
  `,
  4: `
    excellent outstanding superb fantastic wonderful amazing awesome fabulous terrific phenomenal
    exceptional flawless flawlessly perfection magnificent marvelous stellar unbeatable thrilled
    delighted ecstatic exquisite superbly wonderfully brilliantly
  `,
  3: `
    great love loved loves loving lovely perfect perfectly best incredible impressive impressed
    beautiful beautifully brilliant gorgeous happiest happy grateful thankful excited exciting
    glorious stunning fantastically remarkable winner ideal favourite favorite rocks excellently
    awesomely greatest superior satisfying amazed amazingly charm recommended joy tremendous excels
    adorable sweetest
  `,
  2: `
    good nice sturdy solid durable reliable reliably easy comfortable comfortably comfort pleased
    pleasing pleasant pleasantly pleasure satisfied glad enjoy enjoyed enjoying enjoyable fun cool
    neat handy convenient conveniently useful helpful helped helps thank appreciate appreciated
    appreciative courteous polite kind friendly prompt promptly professional professionally
    efficient efficiently responsive resolved satisfactory recommend recommends worth bargain sleek
    stylish elegant attractive cute crisp smooth smoothly seamless seamlessly effective effectively
    improvement impressively nicely gladly trustworthy honest honestly classy exceeded exceeds
    exceed wow yay bonus positive success successful successfully liked fixed fixes better easier
    excel compliments compliment wise sweet worthwhile outperform outperforms outperformed
    infatuated refunded reimbursed credited corrected accommodating knowledgeable generous
    terrifically :) :-) :d fabulously compact lightweight affordable inexpensive reasonably sharp
  `,
  1: `
    thank thanks thx fine okay ok decent adequate fair acceptable works worked work working
    functional fits fit secure securely safe safely simple simply reasonable cheaper value
    interesting improved upgrade improve resolve resolution supportive help helping correct accurate
    accurately trust trusted convenience bright lasting lasts stable compatible recommendation fix
    simpler strong plenty saved benefit benefits advantage advantages hope hopefully straightforward
    intuitive rich ample like likes plus clear clearer loud louder fast quick quickly quality
  `,
  [-1]: `
    expensive costly pricey fee fees late confusing confused unclear delay delayed delays wait
    waiting waited slow slowly slower issue issues concern concerned concerns complaint complaints
    complain complained dispute disputed disputing disputes collection collections debt debts owe
    owed penalty return returned returning refund hidden bulky loose noise static echo drop dropped
    drops scratch scratched scratches lost lose losing unable difficulty odd strange weird mediocre
    meh sorry lacking lacks lack unfortunate unnecessary insufficient limited worry worried hassle
    hard harder warning random missed unverified smudged leak darn distracting randomly disconnect
    downside downsides missing wish drain unusual dim
  `,
  [-2]: `
    bad badly poor poorly problem problems trouble troubles error errors mistake mistakes wrong
    wrongly wrongful incorrect incorrectly inaccurate inaccuracies difficult weak weaker worse
    annoying annoyed annoyance irritating irritated frustrated frustrating frustration upset stress
    stressed stressful anxiety unhappy displeased inconvenient inconvenience incompatible impossible
    awkward clunky ugly flimsy fragile cracked crack cracks fake false falsely misleading misled
    denied deny denies denying refuse refused refuses refusing ignore ignored ignores ignoring
    unanswered unresponsive fail fails failed failing failure failures fault faulty flaw flawed
    flaws defect defects glitch glitches glitchy buggy freeze freezes froze crash crashes crashed
    overheat overheats overheating dead die died dies dying broke broken break breaks breaking
    damaged damage damages harm harmed hurt hurts pain painful suffer suffered suffering struggle
    struggling hardship sad sadly unfortunately disappoint regret regrets regretted avoid avoided
    uncomfortable muffled distorted garbled noisy drained drains excessive overpriced erroneous
    erroneously delinquent foreclosure garnish garnished garnishment unfair unfairly unreliable
    inadequate negligent neglect neglected disregard disregarded mad angry confusion misrepresented
    derogatory denial unfavorable unresolved shame embarrassing blurry crappy cheap cheaply negative
    breakage leaks lied lie lies unprofessional stuck intermittent intermittently dropping mess
    messed annoy runaround disconnects disconnected embarrassed unwilling beware :( :-(
  `,
  [-3]: `
    terrible terribly horrible horribly awful awfully disappointing disappointed disappointment
    useless worthless pointless waste wasted wasting junk garbage trash junky rubbish unusable
    defective unauthorized fraud fraudulent fraudulently scam scams scammed scammer scammers harass
    harassed harassing harassment threaten threatened threatening threats threat illegal illegally
    unlawful unlawfully deceptive deceive deceived deceiving lying liar liars stolen steal stole
    stealing theft cheat cheated cheating ripoff rude rudely incompetent incompetence unacceptable
    ridiculous outrageous nightmare abuse abusive abused violation violations violated violate
    negligence predatory exorbitant intimidate intimidated intimidating discriminate discrimination
    retaliate retaliation pathetic sucks suck sucked lousy shoddy inferior disgusted disgusting
    dissatisfied furious nasty dreadful appalling insult insulting shameful dangerous hazardous
    victim victimized extortion bogus disgrace disgraceful sloppy dishonest unethical corrupt
    hostile unjust distress discriminated hate hates hated crap unauthorised overcharged
  `,
  [-4]: `
    worst horrendous atrocious abysmal scammy fraudsters fraudster despicable
  `,
};

/**
 * Multi-word expressions whose meaning differs from their parts. A phrase that begins with a
 * negator is a fixed expression and absorbs that negator instead of being flipped by it.
 */
const PHRASES_BY_VALENCE: Readonly<Record<number, string>> = {
  // Idioms that only look evaluative: hedges ("kind of flimsy"), legal names ("Fair Credit
  // Reporting Act"), finance terms ("outstanding balance") and "like" used as a preposition.
  0: `
    kind of, sort of, fair credit, fair debt, fair isaac, outstanding balance, outstanding debt,
    outstanding amount, best interest, would like, i'd like, feel like, feels like, felt like,
    look like, looks like, looked like, seems like, sounds like, just like
  `,
  4: `
    couldn't be happier, could not be happier, couldn't be better, could not be better,
    can't say enough, five stars, 5 stars, can't beat, cannot beat, can not beat, can't go wrong,
    cannot go wrong, can not go wrong, couldn't ask for more
  `,
  3: `
    works well, work well, worked well, working well, well made, well designed, well built,
    well worth, top notch, high quality, must have, thumbs up, like a charm, above and beyond,
    no complaints, no problems, no issues, no problem, user friendly, easy to use
  `,
  2: `
    what i wanted, what i needed, does the job, job done, buy again, order again, good job,
    good value, great value, fair price, good price, great price, no complaint, can't complain,
    cannot complain, as described, as advertised, long lasting, holds up, held up, holding up
  `,
  [-2]: `
    one star, 1 star, thumbs down, hung up, gave up, give up, run around, low quality, poor quality,
    cheap quality, no response, no reply, never received, never got, never heard, not recommend,
    don't recommend, do not recommend, no help, too bad, doesn't work, don't work, didn't work,
    does not work, did not work, won't work, will not work, wouldn't work, not working,
    isn't working, stopped charging, cuts out, not mine, don't recognize, do not recognize,
    not authorized, cut out, cutting out, cut off, below expectations, takes forever, cheap plastic
  `,
  [-3]: `
    fell apart, falls apart, falling apart, stopped working, stop working, stops working,
    quit working, quits working, rip off, ripped off, ripping off, don't buy, dont buy, do not buy,
    not buy, don't bother, dont bother, not bother, never again, zero stars, without my consent,
    without my permission, without my authorization, without my knowledge, don't waste, dont waste,
    not waste, save your money, waste of, total waste, piece of junk, piece of crap,
    piece of garbage, steer clear
  `,
};

/** Multipliers applied to the immediately following sentiment word; below 1 means "softer". */
export const INTENSIFIER_MULTIPLIERS: ReadonlyMap<string, number> = new Map([
  ["very", 1.3],
  ["really", 1.3],
  ["so", 1.25],
  ["too", 1.2],
  ["extremely", 1.5],
  ["extreme", 1.4],
  ["incredibly", 1.5],
  ["absolutely", 1.5],
  ["utterly", 1.5],
  ["exceptionally", 1.5],
  ["totally", 1.4],
  ["completely", 1.4],
  ["highly", 1.4],
  ["deeply", 1.4],
  ["remarkably", 1.4],
  ["super", 1.3],
  ["truly", 1.3],
  ["seriously", 1.3],
  ["entirely", 1.3],
  ["thoroughly", 1.3],
  ["most", 1.2],
  ["more", 1.1],
  ["much", 1.2],
  ["such", 1.2],
  ["especially", 1.2],
  ["particularly", 1.2],
  ["definitely", 1.2],
  ["quite", 1.1],
  ["pretty", 1.1],
  ["fairly", 0.8],
  ["mostly", 0.8],
  ["relatively", 0.8],
  ["somewhat", 0.7],
  ["little", 0.7],
  ["bit", 0.7],
  ["kinda", 0.7],
  ["almost", 0.7],
  ["partly", 0.7],
  ["slightly", 0.6],
  ["marginally", 0.6],
]);

/** Words that reverse the polarity of the sentiment words shortly after them. */
export const NEGATORS: ReadonlySet<string> = new Set(
  `
    not no never none nobody nothing neither nor without cannot hardly barely scarcely
    don't dont doesn't doesnt didn't didnt isn't isnt wasn't wasnt aren't arent weren't
    werent won't wont can't cant couldn't couldnt wouldn't wouldnt shouldn't shouldnt
    haven't havent hasn't hasnt hadn't hadnt ain't aint mustn't needn't
  `
    .trim()
    .split(/\s+/),
);

/** Words that make the clause after them outweigh the clause before them ("ok, but ..."). */
export const CONTRAST_WORDS: ReadonlySet<string> = new Set(["but", "however"]);

function buildValenceMap(
  groups: Readonly<Record<number, string>>,
  separator: RegExp,
): ReadonlyMap<string, number> {
  const valences = new Map<string, number>();
  for (const [valence, entries] of Object.entries(groups)) {
    for (const entry of entries.split(separator)) {
      const key = entry.trim().replace(/\s+/g, " ");
      if (key !== "") valences.set(key, Number(valence));
    }
  }
  return valences;
}

export const WORD_VALENCES: ReadonlyMap<string, number> = buildValenceMap(WORDS_BY_VALENCE, /\s+/);

export const PHRASE_VALENCES: ReadonlyMap<string, number> = buildValenceMap(
  PHRASES_BY_VALENCE,
  /,/,
);
