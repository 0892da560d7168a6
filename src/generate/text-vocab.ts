/**
 * The words of readable text (issue 8 §5), per department: what a shop of that department sells, the words
 * that fit those things, and how it names itself. The departments are faker's commerce departments (faker
 * 10.6.0, pinned); faker's own product names pair any material with any product ("Rustic Steel Pants"), so
 * the nouns and qualifiers here are ours, chosen to pair: every qualifier of a department fits every noun of it.
 */

/** How a department's variants are sized: clothing sizes, shoe sizes, none. */
export type Sizing = 'apparel' | 'shoes' | 'none';

export interface Dept {
  /** the category column */
  name: string;
  /** relative share of shops in the department */
  weight: number;
  /** what is sold (Title Case, as in a product name), '|'-separated */
  nouns: string;
  /**
   * each noun's usual shelf price, whole USD 'low-high', '|'-separated in the order of `nouns`: a product's price
   * is drawn in its noun's range (a monitor is not a mug), inside the scenario's price_cents
   */
  prices: string;
  /** material or feature words that fit every noun, '|'-separated */
  qualifiers: string;
  /** title departments (books, films, music, games): names are titles + a format noun */
  titles?: boolean;
  /** the thing, lower case, as a review says it when the noun is a format ("book") */
  thing?: string;
  /** how shops of the department name themselves after "<Last name>'s " or "The <Adjective> " */
  shop: string;
  sizing: Sizing;
  /** whether variants come in colours */
  colours: boolean;
  /** shipping weight range of one unit, grams */
  grams: readonly [number, number];
}

// lists are '|'-separated strings so that each department stays a few lines (split once, in pools.ts)
export const DEPTS: readonly Dept[] = [
  {
    name: 'Automotive',
    weight: 3,
    nouns: 'Floor Mats|Seat Covers|Phone Mount|Dash Cam|Tire Inflator|Jump Starter|Car Wax|Wiper Blades',
    prices: '20-120|25-150|10-40|40-250|25-100|50-200|8-40|10-45',
    qualifiers: 'All-Weather|Universal|Heavy-Duty|Compact|Premium',
    shop: 'Auto Parts|Garage|Car Care',
    sizing: 'none',
    colours: true,
    grams: [150, 4000],
  },
  {
    name: 'Baby',
    weight: 3,
    nouns: 'Onesie|Swaddle Blanket|Bib Set|Sleep Sack|Teether|Changing Pad|Baby Carrier',
    prices: '8-30|12-50|8-25|20-60|5-20|20-70|40-200',
    qualifiers: 'Organic Cotton|Muslin|Bamboo|Soft|Hypoallergenic',
    shop: 'Baby Boutique|Nursery|Little Ones',
    sizing: 'none',
    colours: true,
    grams: [80, 1500],
  },
  {
    name: 'Beauty',
    weight: 5,
    nouns: 'Face Serum|Lip Balm|Hand Cream|Shampoo|Body Lotion|Eye Cream|Face Mask|Perfume',
    prices: '12-90|3-15|5-30|6-40|6-35|15-90|3-40|30-250',
    qualifiers: 'Vitamin C|Hydrating|Unscented|Lavender|Coconut|Rose',
    shop: 'Beauty|Cosmetics|Skin Care',
    sizing: 'none',
    colours: false,
    grams: [30, 500],
  },
  {
    name: 'Books',
    weight: 4,
    nouns: '(Paperback)|(Hardcover)|(Large Print)|Cookbook|Field Guide|Workbook',
    prices: '8-22|18-45|14-35|15-45|12-35|8-30',
    qualifiers: '',
    titles: true,
    thing: 'book',
    shop: 'Books|Bookshop|Reads',
    sizing: 'none',
    colours: false,
    grams: [200, 1200],
  },
  {
    name: 'Clothing',
    weight: 12,
    nouns: 'T-Shirt|Hoodie|Sweater|Jeans|Chinos|Dress|Jacket|Shirt|Leggings|Shorts',
    prices: '10-40|30-90|30-120|35-150|30-90|30-200|50-300|25-90|15-70|15-60',
    qualifiers: 'Cotton|Linen|Merino Wool|Fleece|Denim|Organic Cotton|Slim Fit|Relaxed Fit',
    shop: 'Apparel|Clothing Co.|Outfitters|Boutique',
    sizing: 'apparel',
    colours: true,
    grams: [120, 1200],
  },
  {
    name: 'Computers',
    weight: 4,
    nouns: 'Laptop Stand|Keyboard|Mouse|USB-C Hub|Monitor|Webcam|External SSD|Laptop Sleeve',
    prices: '20-80|20-200|10-120|20-90|120-700|30-180|60-300|15-50',
    qualifiers: 'Wireless|Ergonomic|Mechanical|Portable|Slim|Bluetooth',
    shop: 'Computers|PC Store|Tech',
    sizing: 'none',
    colours: true,
    grams: [60, 5000],
  },
  {
    name: 'Electronics',
    weight: 7,
    nouns: 'Headphones|Earbuds|Speaker|Power Bank|Phone Case|Charger|Smartwatch|Action Camera',
    prices: '30-400|20-250|25-300|20-80|10-50|10-60|80-450|100-450',
    qualifiers: 'Wireless|Noise-Cancelling|Waterproof|Fast-Charging|Bluetooth|Compact',
    shop: 'Electronics|Gadgets|Audio',
    sizing: 'none',
    colours: true,
    grams: [40, 1500],
  },
  {
    name: 'Games',
    weight: 3,
    nouns: '(Board Game)|(Card Game)|(PS5)|(Nintendo Switch)|(Xbox Series X)|Jigsaw Puzzle',
    prices: '20-70|8-30|30-70|30-70|30-70|12-35',
    qualifiers: '',
    titles: true,
    thing: 'game',
    shop: 'Games|Game Store|Tabletop',
    sizing: 'none',
    colours: false,
    grams: [100, 2000],
  },
  {
    name: 'Garden',
    weight: 4,
    nouns: 'Planter|Garden Hose|Pruning Shears|Raised Bed|Watering Can|Bird Feeder|Solar Lights|Kneeler',
    prices: '10-80|20-90|12-50|50-250|10-40|15-60|15-70|15-50',
    qualifiers: 'Ceramic|Galvanized Steel|Cedar|Recycled Plastic|Expandable|Weatherproof',
    shop: 'Garden Supply|Gardens|Nursery',
    sizing: 'none',
    colours: true,
    grams: [200, 12000],
  },
  {
    name: 'Grocery',
    weight: 5,
    nouns: 'Coffee Beans|Green Tea|Olive Oil|Dark Chocolate|Honey|Granola|Hot Sauce|Pasta',
    prices: '8-30|5-25|8-35|3-12|6-25|4-12|4-15|2-8',
    qualifiers: 'Organic|Single-Origin|Fair Trade|Extra Virgin|Raw|Artisan',
    shop: 'Pantry|Deli|Fine Foods',
    sizing: 'none',
    colours: false,
    grams: [100, 1500],
  },
  {
    name: 'Health',
    weight: 4,
    nouns: 'Multivitamin|Protein Powder|Yoga Mat|Massage Gun|Thermometer|First Aid Kit|Magnesium Tablets',
    prices: '8-40|25-70|20-100|50-300|10-50|15-60|8-30',
    qualifiers: 'Vegan|Sugar-Free|Travel|Professional|Natural',
    shop: 'Wellness|Pharmacy|Health',
    sizing: 'none',
    colours: false,
    grams: [60, 2500],
  },
  {
    name: 'Home',
    weight: 10,
    nouns:
      'Throw Blanket|Table Lamp|Cushion Cover|Bath Towels|Duvet Cover|Scented Candle|Wall Clock|Coffee Mug',
    prices: '25-120|25-150|10-40|20-80|40-160|10-45|20-90|8-30',
    qualifiers: 'Linen|Ceramic|Velvet|Cotton|Oak|Handmade|Minimalist',
    shop: 'Home|Interiors|Home Goods|Living',
    sizing: 'none',
    colours: true,
    grams: [200, 4000],
  },
  {
    name: 'Industrial',
    weight: 1,
    nouns: 'Safety Glasses|Work Gloves|Cable Ties|Shelving Unit|Label Printer|Storage Bins',
    prices: '5-25|5-30|4-20|60-300|40-250|15-60',
    qualifiers: 'Heavy-Duty|Industrial|Stackable|Anti-Static|Nylon',
    shop: 'Supply|Industrial Supply|Workshop',
    sizing: 'none',
    colours: false,
    grams: [50, 15000],
  },
  {
    name: 'Jewelry',
    weight: 4,
    nouns: 'Necklace|Stud Earrings|Bracelet|Ring|Pendant|Anklet',
    prices: '20-300|15-200|15-250|20-400|20-250|10-60',
    qualifiers: 'Sterling Silver|14k Gold|Rose Gold|Pearl|Minimalist|Handmade',
    shop: 'Jewelry|Jewelers|Gems',
    sizing: 'none',
    colours: false,
    grams: [5, 80],
  },
  {
    name: 'Kids',
    weight: 3,
    nouns: 'Backpack|Lunch Box|Pajama Set|Rain Boots|Water Bottle|Night Light',
    prices: '20-60|10-30|15-40|20-50|10-30|10-35',
    qualifiers: 'Dinosaur|Unicorn|Space|Rainbow|Glow-in-the-Dark',
    shop: 'Kids|Kids Corner|Playroom',
    sizing: 'none',
    colours: true,
    grams: [100, 1200],
  },
  {
    name: 'Movies',
    weight: 1,
    nouns: '(Blu-ray)|(DVD)|(4K Ultra HD)|(Collector Edition)',
    prices: '10-25|5-15|20-35|30-90',
    qualifiers: '',
    titles: true,
    thing: 'film',
    shop: 'Movies|Video|Cinema Shop',
    sizing: 'none',
    colours: false,
    grams: [80, 400],
  },
  {
    name: 'Music',
    weight: 2,
    nouns: '(Vinyl LP)|(CD)|(Deluxe Edition)|(Cassette)',
    prices: '20-45|8-18|20-60|10-20',
    qualifiers: '',
    titles: true,
    thing: 'album',
    shop: 'Records|Music|Vinyl',
    sizing: 'none',
    colours: false,
    grams: [80, 400],
  },
  {
    name: 'Outdoors',
    weight: 4,
    nouns: 'Tent|Sleeping Bag|Hiking Backpack|Camping Stove|Headlamp|Trekking Poles|Water Filter',
    prices: '80-500|40-250|60-250|30-150|15-60|30-150|20-80',
    qualifiers: 'Ultralight|Waterproof|2-Person|Insulated|Packable|Rechargeable',
    shop: 'Outdoors|Outfitters|Trail Supply',
    sizing: 'none',
    colours: true,
    grams: [100, 4000],
  },
  {
    name: 'Shoes',
    weight: 6,
    nouns: 'Sneakers|Running Shoes|Boots|Loafers|Sandals|Slippers',
    prices: '50-180|70-200|80-300|60-200|20-90|15-60',
    qualifiers: 'Leather|Suede|Canvas|Waterproof|Knit|Vegan Leather',
    shop: 'Shoes|Footwear|Shoe Co.',
    sizing: 'shoes',
    colours: true,
    grams: [300, 1600],
  },
  {
    name: 'Sports',
    weight: 5,
    nouns: 'Dumbbells|Resistance Bands|Jump Rope|Yoga Block|Soccer Ball|Tennis Racket|Cycling Gloves|Gym Bag',
    prices: '20-200|10-35|8-30|8-25|15-60|40-250|15-50|20-80',
    qualifiers: 'Adjustable|Non-Slip|Pro|Training|Lightweight|Foam',
    shop: 'Sports|Athletics|Fitness',
    sizing: 'none',
    colours: true,
    grams: [100, 20000],
  },
  {
    name: 'Tools',
    weight: 3,
    nouns: 'Cordless Drill|Screwdriver Set|Tape Measure|Socket Set|Utility Knife|Stud Finder|Level',
    prices: '60-250|15-60|8-30|30-200|8-30|15-60|10-50',
    qualifiers: '20V|Magnetic|Precision|Stainless Steel|Professional',
    shop: 'Tools|Hardware|Tool Shop',
    sizing: 'none',
    colours: false,
    grams: [100, 3500],
  },
  {
    name: 'Toys',
    weight: 5,
    nouns: 'Building Blocks|Plush Bear|Puzzle|RC Car|Doll House|Train Set|Art Kit',
    prices: '15-100|10-40|10-30|25-150|50-250|40-200|15-50',
    qualifiers: 'Wooden|Educational|Magnetic|Soft|Classic|STEM',
    shop: 'Toys|Toy Box|Toy Store',
    sizing: 'none',
    colours: true,
    grams: [100, 3000],
  },
];

export const COLOURS = ['black', 'white', 'navy', 'grey', 'red', 'green', 'beige', 'blue', 'pink', 'olive'];
export const APPAREL_SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
export const SHOE_SIZES = ['36', '37', '38', '39', '40', '41', '42', '43', '44', '45', '46'];

/** adjectives that fit any non-title product */
export const PRODUCT_ADJECTIVES = [
  'Classic',
  'Essential',
  'Everyday',
  'Deluxe',
  'Modern',
  'Vintage',
  'Eco',
  'Signature',
  'Premium',
  'Original',
];

/** words of titles (books, films, albums, games): "The <Adj> <Noun>", "<Noun> of the <Noun>" */
export const TITLE_ADJECTIVES = [
  'Silent',
  'Last',
  'Hidden',
  'Golden',
  'Midnight',
  'Broken',
  'Secret',
  'Wild',
  'Lost',
  'Endless',
  'Crimson',
  'Northern',
  'Quiet',
  'Burning',
  'Little',
];
export const TITLE_NOUNS = [
  'River',
  'Garden',
  'Kingdom',
  'Summer',
  'Island',
  'Road',
  'Lighthouse',
  'Orchard',
  'Storm',
  'Harbor',
  'Mountain',
  'Letter',
  'Winter',
  'Empire',
  'Forest',
  'City',
];
