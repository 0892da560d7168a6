/** The words of review titles and bodies (issue 8 §5): per rating, so the text agrees with the stars. */

/**
 * Review texts per rating (index 0 = 1 star), written for that rating only: a title of one star never reads
 * as a title of five. `{n}` is the product's noun ("hoodie", "book").
 */
export const REVIEW_TITLES: readonly (readonly string[])[] = [
  [
    'Waste of money',
    'Do not buy',
    'Very disappointed',
    'Broke after a week',
    'Not as described',
    'Returned it',
    'Awful {n}',
    'Cheaply made',
    'Never again',
    'Avoid this {n}',
    'Complete letdown',
    'Arrived damaged',
  ],
  [
    'Not great',
    'Below expectations',
    'Poor quality {n}',
    'Meh',
    'Would not buy again',
    'Flimsy',
    'Overpriced',
    'Not worth it',
    'Runs small',
    'Looks cheaper than the photos',
    'Mediocre {n}',
    'Expected better',
  ],
  [
    'It is okay',
    'Average {n}',
    'Does the job',
    'Mixed feelings',
    'Decent for the price',
    'Nothing special',
    'Fine but not amazing',
    'Some flaws',
    'Okay {n}',
    'Middle of the road',
    'Acceptable',
    'Good and bad',
  ],
  [
    'Very good',
    'Solid {n}',
    'Happy with it',
    'Good value',
    'Nice quality',
    'Pretty good {n}',
    'Would recommend',
    'Almost perfect',
    'Works well',
    'Good purchase',
    'Pleased overall',
    'Nice {n}',
  ],
  [
    'Love this {n}',
    'Perfect',
    'Excellent quality',
    'Exactly as described',
    'Five stars',
    'Highly recommend',
    'Better than expected',
    'Absolutely love it',
    'Fantastic {n}',
    'Best purchase this year',
    'Would buy again',
    'Just what I needed',
  ],
];
export const REVIEW_TITLE_ENDS: readonly (readonly string[])[] = [
  ['', '', '.', '!', ' - stay away', ' - total junk'],
  ['', '', '.', ' - meh', ' - not for me'],
  ['', '', '.', ' - 3 stars'],
  ['', '', '!', ' - 4 stars', ' - recommended'],
  ['', '', '!', '!!', ' - 10/10', ' - love it'],
];

export const REVIEW_OPENERS: readonly (readonly string[])[] = [
  [
    'This {n} fell apart almost immediately.',
    'I regret buying this {n}.',
    'The {n} looks nothing like the pictures.',
    'Honestly the worst {n} I have bought online.',
    'The {n} stopped working after two days.',
    'Sent the {n} back the same day.',
  ],
  [
    'The {n} is not what I hoped for.',
    'I expected more from this {n}.',
    'The {n} is usable but disappointing.',
    'Quality of the {n} is below average.',
    'The {n} feels cheap in the hand.',
    'Not impressed with the {n}.',
  ],
  [
    'The {n} is fine for everyday use.',
    'It is an okay {n}, nothing more.',
    'The {n} does what it says, mostly.',
    'Decent {n} with a few compromises.',
    'The {n} is about what you would expect for the price.',
    'I have mixed feelings about this {n}.',
  ],
  [
    'Really nice {n} overall.',
    'The {n} is well made and looks good.',
    'Happy with this {n}.',
    'Good {n} for the money.',
    'The {n} does exactly what I needed.',
    'I use the {n} every day now.',
  ],
  [
    'I absolutely love this {n}!',
    'Best {n} I have ever owned.',
    'This {n} exceeded my expectations.',
    'Gorgeous {n} and great quality.',
    'The {n} is perfect in every way.',
    'Bought this {n} as a gift and they loved it.',
  ],
];
export const REVIEW_DETAILS: readonly (readonly string[])[] = [
  [
    'The material is thin and the stitching came loose.',
    'Nothing fits the description on the page.',
    'It smelled strongly of chemicals out of the box.',
    'Parts were missing and support never answered.',
    'The colour is completely different in person.',
  ],
  [
    'The finish is rough in places.',
    'Sizing is off and it feels flimsy.',
    'It works but feels like it will not last.',
    'The colour was duller than the photos.',
    'Instructions were confusing and a part was bent.',
  ],
  [
    'Quality is decent but the finish could be better.',
    'It is a bit smaller than I expected.',
    'Some details feel cheap while others are nice.',
    'Works as described with a few small annoyances.',
    'Fit is okay once you get used to it.',
  ],
  [
    'Quality is solid and the finish is clean.',
    'It feels sturdy and well designed.',
    'Size is true to the description.',
    'Only a minor flaw that does not really matter.',
    'The colour is lovely and matches the photos.',
  ],
  [
    'The quality is outstanding and it feels built to last.',
    'Every detail is well thought out.',
    'The fit is spot on and it looks even better in person.',
    'Beautiful finish and the colour is exactly as shown.',
    'Great craftsmanship for the price.',
  ],
];
/**
 * Phrases that say how long since the order (a delivery's time, days or a week of use): the least hours after its
 * order a review that says one is written. `{n}`: the product's noun.
 */
export const REVIEW_MIN_HOURS: Readonly<Record<string, number>> = {
  'Broke after a week': 192,
  'The {n} stopped working after two days.': 48,
  'I use the {n} every day now.': 72,
  'Delivery took almost three weeks.': 504,
  'Delivery was late by a few days.': 96,
  'Arrived a day early and beautifully packed.': 24,
};
/** Phrases that say the order was sent back or refunded: only in a review written after its refund or return. */
export const REVIEW_AFTER_REFUND: readonly string[] = [
  'Returned it',
  'Sent the {n} back the same day.',
  'Getting a refund was a hassle.',
];
// A review that may not say its keyed title or opener says the next one that it may, and no delivery remark
// instead of one it may not; `gen verify` (review-claims) reads both tables.
export const REVIEW_DELIVERY: readonly (readonly string[])[] = [
  ['Delivery took almost three weeks.', 'The box arrived crushed.', 'Getting a refund was a hassle.', ''],
  ['Shipping was slow.', 'Packaging was poor.', 'Delivery was late by a few days.', ''],
  ['Shipping was okay.', 'Arrived on time.', 'Packaging was basic but fine.', ''],
  ['Arrived quickly and well packed.', 'Shipping was fast.', 'Delivery was on time.', ''],
  [
    'Arrived a day early and beautifully packed.',
    'Super fast shipping!',
    'The seller even added a thank-you note.',
    '',
  ],
];
export const REVIEW_CLOSERS: readonly (readonly string[])[] = [
  ['Save your money.', 'Would give zero stars if I could.', 'Avoid.', 'Very disappointed overall.'],
  [
    'Would not buy again.',
    'There are better options out there.',
    'Two stars because it arrived at all.',
    'Not worth the price.',
  ],
  [
    'Might buy again if it is on sale.',
    'Okay for the price.',
    'Three stars feels fair.',
    'It will do for now.',
  ],
  [
    'Would recommend.',
    'I would buy this again.',
    'Four stars only because of the price.',
    'A good choice overall.',
  ],
  ['Highly recommend!', 'Already ordered a second one.', 'Cannot recommend it enough.', 'Worth every penny.'],
];
