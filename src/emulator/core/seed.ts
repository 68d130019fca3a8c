/**
 * Deterministic, realistic referrals for the emulator: the same seed and anchor give the same
 * data byte for byte (a seeded PRNG; no Math.random, no wall clock). Names are Microsoft's
 * fictitious companies and plausible people and places; statuses follow the transition rules,
 * timestamps are consistent with them, and updatedDateTime is spread over the 90 days before
 * the anchor. Every generated referral validates against the spec's Referral schema (tested).
 */
import { REGISTRATION_HISTORY_FIELD } from './transitions.js';

type Json = Record<string, unknown>;

const DAY = 86_400_000;

/** mulberry32: a small, fast 32-bit PRNG, plenty for test data. */
class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of entries) {
      r -= weight;
      if (r < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** Distinct items, in a random order. */
  sample<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }

  hex(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += Math.floor(this.next() * 16).toString(16);
    return s;
  }

  /** A version-4-shaped GUID. */
  uuid(): string {
    const variant = '89ab'[Math.floor(this.next() * 4)];
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${variant}${this.hex(3)}-${this.hex(12)}`;
  }

  digits(length: number): string {
    let s = '';
    for (let i = 0; i < length; i++) s += Math.floor(this.next() * 10);
    return s;
  }
}

interface Country {
  code: string;
  currency: string;
  locale: string;
  suffix: string;
  dial: string;
  streetFirst: boolean;
  cities: ReadonlyArray<readonly [city: string, state: string | null, postalCode: string]>;
  streets: readonly string[];
  first: readonly string[];
  last: readonly string[];
}

const COUNTRIES: readonly Country[] = [
  {
    code: 'US', currency: 'USD', locale: 'en-US', suffix: 'Inc.', dial: '+1', streetFirst: false,
    cities: [['Seattle', 'WA', '98101'], ['Austin', 'TX', '78701'], ['Chicago', 'IL', '60601'], ['New York', 'NY', '10001'], ['Denver', 'CO', '80202'], ['Atlanta', 'GA', '30303'], ['Boston', 'MA', '02110'], ['San Francisco', 'CA', '94105']],
    streets: ['Pine Street', 'Congress Avenue', 'Wacker Drive', 'Madison Avenue', 'Market Street', 'Peachtree Street', 'Boylston Street'],
    first: ['James', 'Maria', 'Michael', 'Jennifer', 'David', 'Aisha', 'Carlos', 'Emily', 'Kevin', 'Grace'],
    last: ['Johnson', 'Garcia', 'Smith', 'Nguyen', 'Williams', 'Patel', 'Brown', 'Rodriguez', 'Lee', 'Walker'],
  },
  {
    code: 'CA', currency: 'CAD', locale: 'en-CA', suffix: 'Ltd.', dial: '+1', streetFirst: false,
    cities: [['Toronto', 'ON', 'M5H 2N2'], ['Vancouver', 'BC', 'V6B 1A1'], ['Calgary', 'AB', 'T2P 1J9']],
    streets: ['Bay Street', 'Granville Street', 'Stephen Avenue'],
    first: ['Liam', 'Chloé', 'Noah', 'Sophie', 'Ethan', 'Amélie'],
    last: ['Tremblay', 'Martin', 'Roy', 'MacDonald', 'Wilson', 'Chen'],
  },
  {
    code: 'GB', currency: 'GBP', locale: 'en-GB', suffix: 'Ltd', dial: '+44', streetFirst: false,
    cities: [['London', null, 'EC2V 7HH'], ['Manchester', null, 'M1 1AE'], ['Edinburgh', null, 'EH1 1YZ'], ['Bristol', null, 'BS1 4DJ']],
    streets: ['Gresham Street', 'Deansgate', 'Princes Street', 'Corn Street'],
    first: ['Oliver', 'Amelia', 'Harry', 'Isla', 'George', 'Priya', 'Thomas', 'Freya'],
    last: ['Taylor', 'Evans', 'Hughes', 'Khan', 'Wright', 'Robinson', 'Clarke', 'Murray'],
  },
  {
    code: 'DE', currency: 'EUR', locale: 'de-DE', suffix: 'GmbH', dial: '+49', streetFirst: true,
    cities: [['Berlin', 'Berlin', '10115'], ['München', 'Bayern', '80331'], ['Hamburg', 'Hamburg', '20095'], ['Frankfurt am Main', 'Hessen', '60311']],
    streets: ['Friedrichstraße', 'Leopoldstraße', 'Mönckebergstraße', 'Zeil'],
    first: ['Lukas', 'Anna', 'Felix', 'Lea', 'Jonas', 'Sophie', 'Maximilian', 'Hannah'],
    last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Becker', 'Wagner', 'Hoffmann'],
  },
  {
    code: 'FR', currency: 'EUR', locale: 'fr-FR', suffix: 'SAS', dial: '+33', streetFirst: false,
    cities: [['Paris', 'Île-de-France', '75002'], ['Lyon', 'Auvergne-Rhône-Alpes', '69002'], ['Toulouse', 'Occitanie', '31000']],
    streets: ['rue de la Paix', 'rue de la République', "rue d'Alsace-Lorraine"],
    first: ['Camille', 'Louis', 'Manon', 'Hugo', 'Inès', 'Julien'],
    last: ['Dubois', 'Lefebvre', 'Moreau', 'Laurent', 'Girard', 'Bonnet'],
  },
  {
    code: 'NL', currency: 'EUR', locale: 'nl-NL', suffix: 'B.V.', dial: '+31', streetFirst: true,
    cities: [['Amsterdam', 'Noord-Holland', '1012 JS'], ['Rotterdam', 'Zuid-Holland', '3011 AD'], ['Utrecht', 'Utrecht', '3511 LX']],
    streets: ['Damrak', 'Coolsingel', 'Oudegracht'],
    first: ['Daan', 'Emma', 'Sem', 'Julia', 'Lars', 'Fleur'],
    last: ['de Jong', 'Jansen', 'de Vries', 'van Dijk', 'Bakker', 'Visser'],
  },
  {
    code: 'SE', currency: 'SEK', locale: 'sv-SE', suffix: 'AB', dial: '+46', streetFirst: true,
    cities: [['Stockholm', null, '111 52'], ['Göteborg', null, '411 06']],
    streets: ['Kungsgatan', 'Drottninggatan', 'Avenyn'],
    first: ['Elsa', 'Oscar', 'Maja', 'William', 'Astrid', 'Erik'],
    last: ['Andersson', 'Johansson', 'Karlsson', 'Nilsson', 'Lindqvist', 'Berg'],
  },
  {
    code: 'ES', currency: 'EUR', locale: 'es-ES', suffix: 'S.L.', dial: '+34', streetFirst: true,
    cities: [['Madrid', 'Madrid', '28013'], ['Barcelona', 'Cataluña', '08002'], ['Valencia', 'Comunidad Valenciana', '46002']],
    streets: ['Gran Vía', 'Passeig de Gràcia', 'Calle de Colón'],
    first: ['Lucía', 'Pablo', 'Carmen', 'Javier', 'Elena', 'Diego'],
    last: ['García', 'Martínez', 'López', 'Sánchez', 'Fernández', 'Romero'],
  },
  {
    code: 'IT', currency: 'EUR', locale: 'it-IT', suffix: 'S.p.A.', dial: '+39', streetFirst: true,
    cities: [['Milano', 'Lombardia', '20121'], ['Roma', 'Lazio', '00184'], ['Torino', 'Piemonte', '10121']],
    streets: ['Via Dante', 'Via Nazionale', 'Via Roma'],
    first: ['Giulia', 'Marco', 'Chiara', 'Luca', 'Francesca', 'Matteo'],
    last: ['Rossi', 'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano'],
  },
  {
    code: 'CH', currency: 'CHF', locale: 'de-CH', suffix: 'AG', dial: '+41', streetFirst: true,
    cities: [['Zürich', 'ZH', '8001'], ['Genève', 'GE', '1204']],
    streets: ['Bahnhofstrasse', 'Rue du Rhône'],
    first: ['Noah', 'Mia', 'Luca', 'Lena', 'Nico', 'Laura'],
    last: ['Meier', 'Keller', 'Brunner', 'Baumann', 'Frei', 'Gerber'],
  },
  {
    code: 'JP', currency: 'JPY', locale: 'ja-JP', suffix: 'K.K.', dial: '+81', streetFirst: false,
    cities: [['Tokyo', 'Tokyo', '100-0005'], ['Osaka', 'Osaka', '530-0001'], ['Yokohama', 'Kanagawa', '220-0012']],
    streets: ['Marunouchi', 'Umeda', 'Minatomirai'],
    first: ['Yuki', 'Haruto', 'Aoi', 'Sota', 'Sakura', 'Ren'],
    last: ['Tanaka', 'Suzuki', 'Takahashi', 'Watanabe', 'Ito', 'Yamamoto'],
  },
  {
    code: 'IN', currency: 'INR', locale: 'en-IN', suffix: 'Pvt. Ltd.', dial: '+91', streetFirst: false,
    cities: [['Bengaluru', 'Karnataka', '560001'], ['Mumbai', 'Maharashtra', '400001'], ['Hyderabad', 'Telangana', '500081'], ['Pune', 'Maharashtra', '411001']],
    streets: ['MG Road', 'Nariman Point', 'HITEC City Road', 'FC Road'],
    first: ['Aarav', 'Ananya', 'Vihaan', 'Diya', 'Rohan', 'Kavya', 'Arjun', 'Meera'],
    last: ['Sharma', 'Iyer', 'Reddy', 'Gupta', 'Nair', 'Kulkarni', 'Mehta', 'Rao'],
  },
  {
    code: 'AU', currency: 'AUD', locale: 'en-AU', suffix: 'Pty Ltd', dial: '+61', streetFirst: false,
    cities: [['Sydney', 'NSW', '2000'], ['Melbourne', 'VIC', '3000'], ['Brisbane', 'QLD', '4000']],
    streets: ['George Street', 'Collins Street', 'Queen Street'],
    first: ['Jack', 'Charlotte', 'William', 'Olivia', 'Lachlan', 'Mia'],
    last: ['Smith', 'Jones', 'Kelly', "O'Brien", 'Thompson', 'White'],
  },
  {
    code: 'SG', currency: 'SGD', locale: 'en-SG', suffix: 'Pte. Ltd.', dial: '+65', streetFirst: false,
    cities: [['Singapore', null, '018989']],
    streets: ['Marina Boulevard', 'Raffles Place'],
    first: ['Wei Ling', 'Jun Jie', 'Hui Min', 'Darren', 'Nur', 'Siti'],
    last: ['Tan', 'Lim', 'Ng', 'Wong', 'Rahman', 'Goh'],
  },
  {
    code: 'BR', currency: 'BRL', locale: 'pt-BR', suffix: 'Ltda.', dial: '+55', streetFirst: true,
    cities: [['São Paulo', 'SP', '01310-100'], ['Rio de Janeiro', 'RJ', '20040-020']],
    streets: ['Avenida Paulista', 'Avenida Rio Branco'],
    first: ['Gabriel', 'Ana', 'Lucas', 'Beatriz', 'Mateus', 'Larissa'],
    last: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Costa', 'Pereira'],
  },
  {
    code: 'MX', currency: 'MXN', locale: 'es-MX', suffix: 'S.A. de C.V.', dial: '+52', streetFirst: true,
    cities: [['Ciudad de México', 'CDMX', '06600'], ['Monterrey', 'Nuevo León', '64000']],
    streets: ['Paseo de la Reforma', 'Avenida Constitución'],
    first: ['Sofía', 'Santiago', 'Valentina', 'Mateo', 'Regina', 'Emiliano'],
    last: ['Hernández', 'González', 'Ramírez', 'Flores', 'Torres', 'Cruz'],
  },
];

const COUNTRY_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['US', 30], ['CA', 5], ['GB', 10], ['DE', 9], ['FR', 6], ['NL', 4], ['SE', 3], ['ES', 4], ['IT', 4], ['CH', 2],
  ['JP', 7], ['IN', 6], ['AU', 5], ['SG', 2], ['BR', 2], ['MX', 1],
];

/** Microsoft's fictitious company names. */
const BRANDS = [
  'Contoso', 'Fabrikam', 'Northwind', 'Adventure Works', 'Tailspin', 'Wide World Importers', 'Litware', 'Proseware',
  'Woodgrove', 'Alpine Ski House', 'Coho Winery', 'Fourth Coffee', 'Lamna Healthcare', "Margie's Travel", 'Relecloud',
  'Trey Research', 'VanArsdel', 'Wingtip Toys', 'Blue Yonder Airlines', 'City Power & Light', 'Consolidated Messenger',
  'Humongous Insurance', 'Lucerne Publishing', 'Nod Publishers', 'Southridge Video', 'Best For You Organics',
  'First Up Consultants', 'A. Datum', 'Bellows College', 'Graphic Design Institute', 'Munson\'s Pickles', 'Tasmanian Traders',
];

const INDUSTRY_WORDS: ReadonlyArray<readonly [word: string, industry: string]> = [
  ['Manufacturing', 'Manufacturing'], ['Logistics', 'Travel and Transportation'], ['Retail', 'Retail'],
  ['Bank', 'Financial Services'], ['Insurance', 'Financial Services'], ['Health', 'Healthcare'],
  ['Energy', 'Energy'], ['Foods', 'Retail'], ['Pharma', 'Healthcare'], ['Media', 'Media and Communications'],
  ['Engineering', 'Professional Services'], ['University', 'Education'],
];

const THEMES: ReadonlyArray<{ title: string; products: string[]; services: string[] }> = [
  { title: 'Azure migration', products: ['Azure'], services: ['Cloud migration', 'Managed services'] },
  { title: 'Dynamics 365 Sales rollout', products: ['Dynamics 365'], services: ['Implementation', 'Training'] },
  { title: 'Microsoft 365 Copilot pilot', products: ['Microsoft 365'], services: ['Adoption and change management'] },
  { title: 'data platform modernization', products: ['Azure', 'Microsoft Fabric'], services: ['Implementation'] },
  { title: 'security operations uplift', products: ['Microsoft Security'], services: ['Managed services', 'Assessment'] },
  { title: 'SAP on Azure', products: ['Azure'], services: ['Cloud migration'] },
  { title: 'AI customer service assistant', products: ['Azure', 'Dynamics 365'], services: ['Implementation'] },
  { title: 'contact center modernization', products: ['Dynamics 365'], services: ['Implementation', 'Managed services'] },
  { title: 'Power Platform center of excellence', products: ['Power Platform'], services: ['Training', 'Assessment'] },
  { title: 'hybrid cloud with Azure Arc', products: ['Azure'], services: ['Implementation'] },
  { title: 'supply chain planning', products: ['Dynamics 365'], services: ['Implementation'] },
  { title: 'Azure Virtual Desktop rollout', products: ['Azure', 'Microsoft 365'], services: ['Implementation', 'Managed services'] },
];

const NOTES = [
  'Customer wants a proposal before the end of the quarter.',
  'Existing on-premises environment reaches end of support next year.',
  'Looking for a partner with local delivery capacity.',
  'Budget approved; evaluating two partners.',
  'Asked for a proof of concept with their own data.',
  'Needs help with licensing options and a migration plan.',
  'Executive sponsor is the CIO; security review required.',
];

const SIZES = ['1to10employees', '10to50employees', '50to1000employees', '1000to10000employees', 'morethan10000employees'];
const ASSISTANCE = ['GeneralOrOther', 'CustomerTechnicalArchitecture', 'ProofOfConceptOrDemo', 'QuotesOrLicensing', 'PostSalesCustomerSuccess', 'WorkloadSpecificValueProposition'] as const;
const TAGS = ['priority', 'new-logo', 'expansion', 'renewal', 'public-sector', 'fy-q3', 'marketplace'];
const LOST_REASONS = ['Customer chose another vendor', 'No budget this fiscal year', 'Project postponed by the customer'];
const DECLINE_REASONS = ['Outside our solution focus', 'No delivery capacity in the region', 'Customer already works with another partner'];

/** The partner that owns the seeded referrals ("you", in the emulator). */
export const SEED_PARTNER = {
  organizationId: 'b6a1f4e2-3c5d-4e7f-9a1b-2c3d4e5f6a7b',
  organizationName: 'Fabrikam Consulting',
  mpnId: '4863040',
  domain: 'fabrikamconsulting.com',
} as const;

const MICROSOFT = { organizationId: '72f988bf-86f1-41af-91ab-2d7cd011db47', organizationName: 'Microsoft' } as const;

const asciiSlug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');

export interface SeedOptions {
  seed?: number;
  count: number;
  /** Timestamps are placed before this instant (the emulator passes its clock, floored to the day). */
  anchor: Date;
}

function person(rng: Prng, country: Country, domain: string, withTitle: boolean): Json {
  const firstName = rng.pick(country.first);
  const lastName = rng.pick(country.last);
  const member: Json = {
    firstName,
    lastName,
    email: `${asciiSlug(firstName)}.${asciiSlug(lastName)}@${domain}`,
    phoneNumber: `${country.dial}${rng.digits(9)}`,
    contactPreference: { locale: country.locale, disableNotifications: rng.chance(0.1) },
  };
  if (withTitle) member.title = rng.pick(['Account Executive', 'Solution Architect', 'Partner Development Manager', 'Sales Manager']);
  return member;
}

const iso = (t: number) => new Date(t).toISOString();

function registration(rng: Prng, created: number, limit: number, currency: string, dealValue: number, solutionId: string, solutionName: string): Json {
  const status = rng.weighted([
    ['ReviewPending', 3],
    ['ActionRequired', 1],
    ['Approved', 3],
    ['Passed', 2],
    ['Failed', 1],
    ['Closed', 1],
  ] as const);
  // Every registration event lies between the referral's creation and its last update.
  const registered = Math.min(created + rng.int(1, 10) * DAY, limit - 2 * 3_600_000);
  let t = registered;
  const history: Json = { reviewPendingDateTime: iso(registered) };
  const step = () => (t = Math.min(t + rng.int(1, 7) * DAY, limit - 3_600_000));
  const path: Record<string, string[]> = {
    ReviewPending: [],
    ActionRequired: ['ActionRequired'],
    Approved: ['Approved'],
    Passed: ['Approved', 'Passed'],
    Failed: ['Failed'],
    Closed: [],
  };
  for (const s of path[status]!) history[REGISTRATION_HISTORY_FIELD[s]!] = iso(step());
  const start = registered + rng.int(0, 30) * DAY;
  return {
    id: rng.uuid(),
    type: 'AzureIPCoSell',
    registrationDateTime: iso(registered),
    status,
    statusReason: status === 'ActionRequired' ? 'Proof of execution is missing' : status === 'Failed' ? 'Contract value could not be verified' : null,
    contract: {
      value: dealValue,
      currency,
      startDateTime: iso(start),
      endDateTime: iso(start + 365 * DAY),
      signDateTime: iso(registered - rng.int(0, 5) * DAY),
      term: rng.chance(0.8) ? 'Finite' : 'Perpetual',
    },
    solutionDetails: [
      {
        id: solutionId,
        name: solutionName,
        value: Math.round(dealValue * 0.6),
        currency,
        isDeployedOnAzure: true,
        primaryDeploymentOn: rng.chance(0.7) ? 'Customer' : 'Partner',
        pricingModel: rng.chance(0.6) ? 'PayAsYouGo' : 'Other',
        marketplaceTransactionDetails: rng.chance(0.4)
          ? { isMarketplaceTransacted: true, marketplaceTransactionDateTime: iso(start) }
          : { isMarketplaceTransacted: false, marketplaceTransactionDateTime: null },
      },
    ],
    statusHistory: history,
  };
}

function referral(rng: Prng, anchor: number): Json {
  const code = rng.weighted(COUNTRY_WEIGHTS);
  const country = COUNTRIES.find((c) => c.code === code)!;
  const [city, state, postalCode] = rng.pick(country.cities);
  const brand = rng.pick(BRANDS);
  const [word, industry] = rng.pick(INDUSTRY_WORDS);
  const customerName = `${brand} ${word} ${country.suffix}`;
  const customerDomain = `${asciiSlug(brand)}${asciiSlug(word)}.com`;
  const theme = rng.pick(THEMES);

  const type = rng.chance(0.6) ? 'Shared' : 'Independent';
  const direction = rng.chance(0.55) ? 'Incoming' : 'Outgoing';
  const status = rng.weighted([['New', 35], ['Active', 35], ['Closed', 30]] as const);
  let substatus: string;
  if (status === 'New') substatus = direction === 'Incoming' ? 'Received' : 'Pending';
  else if (status === 'Active') substatus = 'Accepted';
  else substatus = rng.weighted([['Won', 4], ['Lost', 3], ...(direction === 'Incoming' ? ([['Declined', 2], ['Expired', 2]] as const) : [])]);

  // Timestamps consistent with the status: New incoming referrals are younger than 14 days
  // (older ones would have expired); Expired ones closed exactly 14 days after creation.
  let updated: number;
  let created: number;
  const extra: Json = {};
  if (status === 'New') {
    updated = anchor - rng.int(0, direction === 'Incoming' ? 12 * 24 : 89 * 24) * 3_600_000 - rng.int(0, 3_599_999);
    created = updated - rng.int(0, 36) * 3_600_000;
    if (direction === 'Incoming') extra.expirationDateTime = iso(created + 14 * DAY);
  } else if (status === 'Active') {
    updated = anchor - rng.int(0, 89 * 24) * 3_600_000 - rng.int(0, 3_599_999);
    created = updated - rng.int(1, 60) * DAY;
    extra.acceptedDateTime = iso(created + rng.int(1, Math.max(1, Math.floor((updated - created) / 3_600_000))) * 3_600_000);
  } else {
    updated = anchor - rng.int(0, 89 * 24) * 3_600_000 - rng.int(0, 3_599_999);
    if (substatus === 'Expired') {
      created = updated - 14 * DAY;
      extra.expirationDateTime = iso(updated);
    } else if (substatus === 'Declined') {
      created = updated - rng.int(1, 10) * DAY;
    } else {
      created = updated - rng.int(5, 120) * DAY;
      extra.acceptedDateTime = iso(created + rng.int(1, 4) * DAY);
    }
    extra.closedDateTime = iso(updated);
  }

  const dealValue = rng.int(5, 400) * 5_000;
  const solutionId = `SOL-${rng.digits(7)}-IPC`;
  const solutionName = `${SEED_PARTNER.organizationName} ${theme.title.replace(/^./, (c) => c.toUpperCase())} Accelerator`;
  const id = rng.uuid();
  const engagementId = rng.uuid();
  const closing = status === 'Closed' ? updated : anchor + rng.int(15, 180) * DAY;
  const salesStage = status === 'New' ? rng.pick(['10', '20']) : status === 'Active' ? rng.pick(['20', '40', '60', '80']) : substatus === 'Won' ? '100' : rng.pick(['20', '40', '60']);
  const shared = type === 'Shared';
  const registrations =
    shared && (status === 'Active' || substatus === 'Won') && rng.chance(0.45)
      ? [registration(rng, created, updated, country.currency, dealValue, solutionId, solutionName)]
      : [];

  const r: Json = {
    id,
    engagementId,
    name: `${brand} ${theme.title}`,
    organizationId: SEED_PARTNER.organizationId,
    organizationName: SEED_PARTNER.organizationName,
    mpnId: SEED_PARTNER.mpnId,
    externalReferenceId: rng.chance(0.5) ? `CRM-OPP-${rng.digits(6)}` : null,
    campaignId: rng.chance(0.2) ? `MKT-FY${rng.int(24, 26)}-${rng.digits(4)}` : null,
    createdVia: direction === 'Incoming' ? 'Microsoft' : rng.pick(['PartnerCenter', 'API']),
    lastModifiedVia: rng.pick(['PartnerCenter', 'API']),
    createdDateTime: iso(created),
    updatedDateTime: iso(updated),
    ...extra,
    status,
    substatus,
    statusReason: substatus === 'Lost' ? rng.pick(LOST_REASONS) : substatus === 'Declined' ? rng.pick(DECLINE_REASONS) : null,
    type,
    qualification: rng.weighted([['SalesQualified', 4], ['MarketingQualified', 3], ['Direct', 2], ['None', 1]] as const),
    direction,
    salesStage,
    quality: 'Unknown',
    isSpam: false,
    favorite: rng.chance(0.12),
    dealSensitivity: 'None',
    registrationStatus: registrations.length ? (registrations[0]!.status as string) : 'None',
    tags: rng.sample(TAGS, rng.int(0, 2)),
    eTag: `"${rng.uuid()}"`,
    target: [{ type: 'SolutionProfile', id: solutionId }],
    customerProfile: {
      name: customerName,
      size: rng.pick(SIZES),
      isMatchingComplete: rng.chance(0.8),
      address: {
        addressLine1: country.streetFirst ? `${rng.pick(country.streets)} ${rng.int(1, 120)}` : `${rng.int(1, 999)} ${rng.pick(country.streets)}`,
        addressLine2: rng.chance(0.2) ? `Floor ${rng.int(2, 30)}` : null,
        city,
        state,
        postalCode,
        country: country.code,
        region: null,
      },
      team: Array.from({ length: rng.int(1, 2) }, () => person(rng, country, customerDomain, true)),
      ids: rng.chance(0.5) ? [{ profileType: 'Duns', id: rng.digits(9) }] : [{ profileType: 'External', id: `ACC-${rng.digits(6)}` }],
    },
    consent: {
      consentToContact: rng.chance(0.9),
      consentToToShareInfoWithOthers: rng.chance(0.7),
      consentToShareReferralWithMicrosoftSellers: shared || rng.chance(0.3),
    },
    details: {
      notes: rng.pick(NOTES),
      dealValue,
      currency: country.currency,
      closingDateTime: iso(closing),
      customerAction: null,
      customerRequestedContact: rng.chance(0.6),
      requirements: {
        industries: [{ id: industry }],
        products: theme.products.map((p) => ({ id: p })),
        services: theme.services.map((s) => ({ id: s })),
        solutions: shared
          ? [{ id: solutionId, name: solutionName, type: 'Name', publisherName: SEED_PARTNER.organizationName, solutionType: '3P' }]
          : [],
        offers: [],
        salesPlays: [],
      },
    },
    team: Array.from({ length: rng.int(1, 3) }, () => person(rng, country, SEED_PARTNER.domain, false)),
    inviteContext:
      direction === 'Incoming'
        ? { notes: 'Microsoft seller is looking for a partner to deliver this project.', assistanceRequestCode: rng.pick(ASSISTANCE), invitedBy: { ...MICROSOFT } }
        : shared
          ? { notes: 'Requesting Microsoft co-sell support.', assistanceRequestCode: rng.pick(ASSISTANCE), invitedBy: { organizationId: SEED_PARTNER.organizationId, organizationName: SEED_PARTNER.organizationName } }
          : { notes: null, assistanceRequestCode: 'Unknown' },
    trackingInfo: { microsoftMsxId: shared ? `7-${rng.hex(10).toUpperCase()}` : null },
    registrations,
  };
  return r;
}

/** `count` referrals in creation order; deterministic for a given seed and anchor. */
export function generateReferrals(options: SeedOptions): Json[] {
  const rng = new Prng(options.seed ?? 1);
  const anchor = Math.floor(options.anchor.getTime() / DAY) * DAY;
  const items = Array.from({ length: options.count }, () => referral(rng, anchor));
  return items.sort((a, b) => String(a.createdDateTime).localeCompare(String(b.createdDateTime)));
}
