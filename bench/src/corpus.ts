/**
 * Deterministic random data for the seeded database: a seeded PRNG, people's names, and message bodies
 * built from templates with a long-tailed vocabulary, so that full-text search meets common words
 * ("appointment": hundreds of thousands of rows), mid-frequency ones (a medication) and rare ones.
 *
 * @module
 */

/** mulberry32: small, fast and good enough to make the same database from the same seed. */
export class Rng {
  #state: number
  constructor(seed: number) {
    this.#state = seed >>> 0
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0
    let t = this.#state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive)
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<A>(items: ReadonlyArray<A>): A {
    return items[this.int(items.length)]!
  }
  /** Index in [0, n) with probability ∝ 1/(i+1)^s: a few items are common, most are rare. */
  zipf(n: number, s = 1.1): number {
    // Inverse-CDF on the continuous approximation; exact enough for choosing words.
    const u = this.next()
    if (s === 1) return Math.min(n - 1, Math.floor(Math.exp(u * Math.log(n + 1)) - 1))
    const a = 1 - s
    const max = (Math.pow(n + 1, a) - 1) / a
    return Math.min(n - 1, Math.max(0, Math.floor(Math.pow(u * max * a + 1, 1 / a) - 1)))
  }
  hex(length: number): string {
    let out = ""
    while (out.length < length) out += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, "0")
    return out.slice(0, length)
  }
}

export const FIRST_NAMES = [
  "Ada", "Adrian", "Aisha", "Alex", "Alice", "Amara", "Amir", "Ana", "Andre", "Angela", "Anika", "Ari", "Ava", "Ayesha",
  "Beatriz", "Ben", "Bianca", "Bo", "Brandon", "Bridget", "Caleb", "Camila", "Carlos", "Casey", "Chen", "Chiara", "Chloe",
  "Chris", "Dana", "Daniel", "Dara", "David", "Deepa", "Derek", "Diego", "Dimitri", "Efua", "Eli", "Elena", "Elif", "Emeka",
  "Emily", "Emma", "Eric", "Esme", "Ethan", "Fatima", "Felix", "Femi", "Fiona", "Gabriel", "Grace", "Hamza", "Hana", "Hannah",
  "Hector", "Ibrahim", "Ines", "Ingrid", "Isaac", "Ivan", "Jada", "Jamal", "James", "Jana", "Javier", "Jaya", "Jin", "Joan",
  "Jonah", "Jordan", "Jose", "Joy", "Julia", "Kai", "Kamala", "Karen", "Kenji", "Kofi", "Lars", "Laura", "Layla", "Leah",
  "Leo", "Liam", "Lina", "Luca", "Lucia", "Maya", "Malik", "Marco", "Maria", "Mateo", "Mei", "Mia", "Miguel", "Mina", "Mohammed",
  "Nadia", "Naomi", "Nia", "Nikhil", "Noah", "Nora", "Olga", "Omar", "Owen", "Paolo", "Priya", "Quinn", "Rafael", "Rania",
  "Ravi", "Rebecca", "Rosa", "Ruth", "Sam", "Samira", "Sara", "Sean", "Sofia", "Sunil", "Tariq", "Tess", "Theo", "Tomas",
  "Uma", "Valentina", "Victor", "Wei", "Yara", "Yusuf", "Zainab", "Zoe"
] as const

export const LAST_NAMES = [
  "Abara", "Acosta", "Adeyemi", "Ahmed", "Alvarez", "Andersen", "Bakker", "Banerjee", "Barros", "Becker", "Bello", "Bennett",
  "Bianchi", "Brennan", "Brown", "Campbell", "Castillo", "Chaudhry", "Chen", "Costa", "Cruz", "Dalton", "Das", "Delgado",
  "Diallo", "Dubois", "Edwards", "Eze", "Farah", "Fernandes", "Fischer", "Fitzgerald", "Fontaine", "Garcia", "Ghosh", "Gomez",
  "Gonzalez", "Greene", "Gupta", "Haddad", "Hansen", "Hassan", "Herrera", "Hoang", "Hughes", "Ibrahim", "Ivanova", "Jackson",
  "Jansen", "Jimenez", "Johansson", "Kapoor", "Kaur", "Kelly", "Khan", "Kim", "Kowalski", "Kumar", "Larsen", "Lee", "Lopez",
  "Lund", "Mahmoud", "Martin", "Mendes", "Mensah", "Meyer", "Moreau", "Morales", "Murphy", "Nakamura", "Ndlovu", "Nguyen",
  "Novak", "Nunez", "Obi", "Okafor", "Okoro", "Olsen", "Ortiz", "Osei", "Park", "Patel", "Perez", "Petrov", "Popescu",
  "Quinn", "Rahman", "Ramirez", "Reddy", "Reyes", "Rossi", "Sahin", "Santos", "Schmidt", "Sharma", "Silva", "Singh", "Sokolov",
  "Suarez", "Sullivan", "Tanaka", "Torres", "Tran", "Turner", "Usman", "Valdez", "Vargas", "Virtanen", "Wagner", "Walsh",
  "Watanabe", "Weber", "Williams", "Wong", "Yilmaz", "Young", "Yusuf", "Zhang", "Zielinski"
] as const

const MEDICATIONS = [
  "metformin", "lisinopril", "atorvastatin", "sertraline", "amlodipine", "levothyroxine", "omeprazole", "gabapentin",
  "losartan", "albuterol", "fluoxetine", "escitalopram", "bupropion", "trazodone", "quetiapine", "aripiprazole",
  "lamotrigine", "buprenorphine", "naltrexone", "insulin", "prednisone", "amoxicillin", "furosemide", "warfarin",
  "clonazepam", "lithium", "venlafaxine", "duloxetine", "mirtazapine", "risperidone", "olanzapine", "hydroxyzine",
  "montelukast", "pantoprazole", "tamsulosin", "carvedilol", "spironolactone", "topiramate", "methadone", "naloxone"
] as const

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "tomorrow", "today", "next week"] as const
const TIMES = ["9am", "9:30", "10am", "10:30", "11am", "noon", "1pm", "1:30", "2pm", "2:30", "3pm", "4pm", "4:30"] as const
const PLACES = [
  "clinic", "pharmacy", "front desk", "food bank", "community centre", "shelter office", "lab", "main office",
  "east site", "downtown office", "housing office", "benefits office", "day programme", "group room"
] as const
const TOPICS = [
  "appointment", "refill", "prescription", "intake", "housing", "benefits", "insurance", "transport", "ride", "lab results",
  "therapy", "group session", "paperwork", "voucher", "rent", "medicaid", "referral", "assessment", "counselling", "bus pass"
] as const

/**
 * The long tail: words that each appear in few messages (Zipf-distributed), so that a rare-word search
 * has few hits and a search term's frequency varies over orders of magnitude.
 */
const TAIL = (
  "kitchen neighbour landlord daughter son grandson granddaughter husband wife partner sister brother cousin aunt uncle " +
  "dentist optician podiatrist dietitian physiotherapist psychiatrist cardiologist dermatologist surgeon midwife nurse " +
  "wheelchair walker cane glasses hearing aid inhaler nebuliser glucometer thermometer bandage crutches brace " +
  "boiler heating mould leak window lock keys mailbox elevator stairs laundry fridge stove microwave kettle " +
  "umbrella snow rain storm heatwave flood power outage internet phone charger battery sim card voicemail " +
  "passport birth certificate driving licence tax return payslip bank statement utility bill lease tenancy eviction " +
  "court hearing probation lawyer advocate interpreter translator social worker caseworker volunteer chaplain " +
  "vaccine flu covid booster bloodwork xray ultrasound mri scan biopsy stitches allergy rash fever cough migraine " +
  "anxiety panic insomnia nightmares craving relapse sobriety meeting sponsor detox withdrawal overdose " +
  "groceries coupons pantry diapers formula stroller school uniform backpack daycare babysitter bus train taxi " +
  "bicycle parking ticket fine permit pension disability allowance grant loan debt budget savings overdraft " +
  "birthday wedding funeral holiday vacation church mosque temple garden dog cat puppy kitten vet " +
  "paracetamol ibuprofen antibiotics vitamins supplements cream drops patch syringe needle sharps bin " +
  "physio stretching yoga swimming walking gym football choir knitting painting library computer class " +
  "job interview resume application shift overtime manager warehouse cleaning cooking delivery driver"
).split(" ")

const STAFF_SIGNOFFS = ["Thanks", "Thank you", "Best", "Take care", "See you soon", "Talk soon"] as const

type Fill = (rng: Rng) => string

const tail = (rng: Rng) => TAIL[rng.zipf(TAIL.length, 1.05)]!
const med = (rng: Rng) => MEDICATIONS[rng.zipf(MEDICATIONS.length, 1.2)]!
const topic = (rng: Rng) => TOPICS[rng.zipf(TOPICS.length, 1.0)]!

const INBOUND: ReadonlyArray<Fill> = [
  (r) => `Hi, can I move my appointment on ${r.pick(DAYS)} to ${r.pick(TIMES)}?`,
  (r) => `I need a refill of my ${med(r)} please, I have ${1 + r.int(5)} days left`,
  (r) => `Running about ${5 + 5 * r.int(6)} minutes late, sorry`,
  (r) => `Is the ${r.pick(PLACES)} open on ${r.pick(DAYS)}?`,
  (r) => `My ride didn't show up for the ${topic(r)} today, can someone call me?`,
  (r) => `Thank you so much for your help with the ${topic(r)}`,
  () => "ok",
  () => "Yes",
  () => "Got it, thanks",
  (r) => `Can you call me back about my ${topic(r)}? Best time is after ${r.pick(TIMES)}`,
  (r) => `The pharmacy says they never got the prescription for ${med(r)}`,
  (r) => `I lost my ${tail(r)}, what should I do?`,
  (r) => `My ${tail(r)} is not working again and the ${tail(r)} too`,
  (r) => `Do I need to bring anything for the ${topic(r)} on ${r.pick(DAYS)}?`,
  (r) => `I can't make it ${r.pick(DAYS)}, my ${tail(r)} is sick`,
  (r) => `Who do I talk to about ${topic(r)}? The ${r.pick(PLACES)} sent me here`,
  (r) => `I got a letter about my ${topic(r)}, can you explain it`,
  (r) => `Feeling a bit better this week. Still having trouble with ${tail(r)}`,
  (r) => `Where is the ${r.pick(PLACES)}? I'm at the ${tail(r)} now`,
  (r) => `Is it okay to take ${med(r)} with ${med(r)}?`
]

const OUTBOUND: ReadonlyArray<(rng: Rng, client: string, staff: string) => string> = [
  (r, c, s) => `Hi ${c}, this is ${s} from Harbour Care. Your appointment is on ${r.pick(DAYS)} at ${r.pick(TIMES)}.`,
  (r, c) => `Hi ${c}, your ${med(r)} refill is ready for pickup at the ${r.pick(PLACES)}.`,
  () => "Reminder: please bring your insurance card and a photo ID to your appointment.",
  (r) => `Thanks for letting us know. I've moved your ${topic(r)} to ${r.pick(DAYS)} at ${r.pick(TIMES)}.`,
  (r, c) => `Hi ${c}, just checking in. How are things with the ${tail(r)}?`,
  (r) => `I've sent the referral for ${topic(r)}. They should call you within ${2 + r.int(5)} business days.`,
  (r) => `Your ride for ${r.pick(DAYS)} is booked, pickup at ${r.pick(TIMES)}.`,
  (r, _c, s) => `${r.pick(STAFF_SIGNOFFS)}! ${s}`,
  (r) => `Please call the ${r.pick(PLACES)} at your earliest convenience about your ${topic(r)}.`,
  (r) => `The ${topic(r)} paperwork is ready to sign. Can you stop by the ${r.pick(PLACES)} ${r.pick(DAYS)}?`,
  (r) => `Don't forget the group session ${r.pick(DAYS)} at ${r.pick(TIMES)}. Bring your ${tail(r)} if you can.`,
  (r) => `We received your ${tail(r)} and ${tail(r)}, thank you. I'll update your file.`
]

/** A client's text: 1–2 sentences, sometimes with one more long-tail detail. */
export const inboundBody = (rng: Rng): string => {
  let body = rng.pick(INBOUND)(rng)
  if (rng.chance(0.25)) body += ". " + rng.pick(INBOUND)(rng)
  if (rng.chance(0.2)) body += ` Also the ${tail(rng)} and the ${tail(rng)}.`
  return body
}

/** A staff member's text to a client. */
export const outboundBody = (rng: Rng, clientFirstName: string, staffFirstName: string): string => {
  let body = rng.pick(OUTBOUND)(rng, clientFirstName, staffFirstName)
  if (rng.chance(0.15)) body += ` ${rng.pick(STAFF_SIGNOFFS)}, ${staffFirstName}`
  return body
}

/** Words for the search benchmark, by how many messages contain them. */
export const SEARCH_TERMS = {
  common: ["appointment", "refill", "thanks"],
  medication: ["metformin", "sertraline", "naloxone"],
  rare: ["podiatrist", "nebuliser", "overdraft"],
  prefix: ["pharm", "couns", "insur"],
  twoWords: ["ride today", "refill pharmacy"],
  clientName: ["Okafor", "Nakamura"]
} as const
