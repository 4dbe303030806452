import type { HarmCategory } from './harm-categories.js';
import { alternation as any } from './text-normalization.js';

/**
 * A rule of the harmful-content lexicon: a pattern over normalised text (see
 * `normalizeForMatching`) and the category it signals. Rules look for *intent or instruction
 * around* an alarming word, not for the word alone: "kill" is only violent next to a person and a
 * request or a threat, so "how do I kill a Python process" stays clean.
 */
export interface HarmRule {
  id: string;
  category: HarmCategory;
  pattern: RegExp;
  /** A context in which a match does not count (a game or a story for violence, a protective question for minors). */
  unless?: (normalized: string) => boolean;
}

/**
 * Benign phrases that contain alarming words. They are blanked out before the rules run, so that
 * "kill all child processes", "shoot a photo", "bath bomb" or "killer pricing" never match.
 */
export const benignPhrases: readonly RegExp[] = [
  // Computing: processes, threads, jobs, nodes and elements are killed, stopped and executed all day long.
  /\b(?:child|parent|zombie|orphan|orphaned|background|worker|daemon|python|java|node|chrome|browser|hung|stuck|running|main|server|database|sql|docker)s? (?:process|processes|thread|threads|task|tasks|job|jobs|node|nodes|pod|pods|container|containers|session|sessions|window|windows|element|elements|tab|tabs|query|queries|connection|connections|component|components|class|classes|theme|themes|table|tables|widget|widgets|item|items|account|accounts)\b/g,
  /\b(?:kill|killing|killed|kills|pkill|killall|terminate|terminating|execute|executing|shoot|abort|nuke|nuking) (?:the |a |an |all |this |that |my |every |any )?(?:process|processes|pid|task|tasks|job|jobs|thread|threads|server|service|services|app|application|container|containers|pod|pods|program|command|script|query|queries|build|session|sessions|port|loop|signal|switch|bug|bugs|lights|engine|music|noise|mood|vibe|time|weeds|germs|bacteria|mold|mould|fleas|ants|pests?|mosquitoes|the flow)\b/g,
  /\bkill (?:-9|9|sig\w+)\b/g,
  // Photography, messages, sport and figures of speech.
  /\bshoot(?:ing|s)? (?:\w+ ){0,2}(?:photos?|pictures?|pics?|videos?|footage|film|movies?|scenes?|portraits?|headshots?|weddings?|products?|hoops|the breeze|an email|a message|a text|a note|a dm|me a line|for the stars|the moon)\b/g,
  /\bshoot (?:him|her|them|me|you|us|my \w+|a \w+) (?:a |an )?(?:message|email|text|note|dm|line|reply)\b/g,
  /\bphoto ?shoot\b/g,
  /\bkiller (?:app|apps|feature|features|pricing|price|prices|deal|deals|look|looks|idea|ideas|combo|workout|playlist|view|views|margins?|product|performance|design|presentation|demo|sauce|recipe)\b/g,
  /\b(?:is|was|looks|sounds|are) (?:\w+ )?killer\b/g,
  /\bkill(?:ed|ing)? it\b/g,
  /\bkill(?:ing|ed)? (?:myself|me|yourself|ourselves) (?:laughing|with laughter)\b/g,
  /\b(?:dont|do not|dont) kill yourself over\b/g,
  /\b(?:dying|dead|die) (?:to|for|of) (?:try|see|know|laughter|boredom|embarrassment|curiosity)\b/g,
  /\b(?:die|dying|died) (?:laughing|of laughter)\b/g,
  /\bnaked (?:mole rats?|eye|truth|flame|lunch|singularity|pointer|domain|url|css)\b/g,
  /\b(?:bath|photo|seed|glitter|flavor|flavour|calorie|cherry|f|truth|stink|smoke|time|carpet|love|data|zip|logic|fork) ?bombs?\b/g,
  /\b(?:the|da|a) bomb (?:dot com|com)\b/g,
  /\bbomb ?(?:proof|shelter|shelters|squad|disposal|sniffing|detection|detector)\b/g,
  /\bbomb(?:ed|ing)? (?:the|my|an|that) (?:exam|test|interview|quiz|presentation|audition)\b/g,
  /\bpoison (?:ivy|oak|sumac|control|center|centre|pill|pills)\b/g,
  /\bsteal(?:ing|s)? (?:the show|the spotlight|a glance|a look|a kiss|second base|home|my heart|your heart)\b/g,
  /\b(?:attack|attacks|attacking) (?:surface|vector|vectors|the problem|this problem|a problem|the issue)\b/g,
  /\bheart attack\b/g,
  /\bget away with murder\b/g,
  /\bsuicide (?:prevention|hotline|helpline|crisis line|awareness|squad|doors?|mission|run)\b/g,
  /\b(?:sex|sexual) (?:education|ed|health|abuse prevention)\b/g,
  /\bminor (?:version|versions|release|releases|update|updates|change|changes|issue|issues|bug|bugs|detail|details|edit|edits|fix|fixes|league|key|chord|scale|third|injury|injuries|adjustment|adjustments|tweak|tweaks)\b/g,
  /\bkid gloves\b/g,
];

// Building blocks (normalised text: lower case, apostrophes removed, single spaces).
/** A request for instructions or a statement of intent; never ends with a space. */
const request =
  '(?:how (?:do|can|could|would|should|might|does|will) (?:i|we|you|one|someone|u|anyone|people)|how to|ways? to|best way to|easiest way to|quickest way to|teach me (?:how )?to|show me how to|help me|tell me how to|explain how to|instructions (?:for|on|to)|steps? (?:for|to)|guide (?:for|to|on)|tutorial (?:for|on)|(?:i|we) (?:want|need|plan|intend|am going|am gonna|wanna|will|have decided|am about|am ready|am planning)(?: to)?|(?:im|were|ill|well) (?:going|gonna|about|ready|planning)(?: to)?|ill|lets|let us|(?:give|write|make|draft|create|send) (?:me |us )?(?:a |an |the )?(?:detailed |step by step |simple |full )?(?:plan|guide|steps|instructions|tutorial|strategy|walkthrough) (?:for|to|on|about))';
const harmVerbs = any([
  'kill', 'kills', 'killing', 'murder', 'murdering', 'stab', 'stabbing', 'shoot', 'shooting', 'strangle', 'strangling',
  'choke', 'choking', 'poison', 'poisoning', 'behead', 'decapitate', 'torture', 'torturing', 'kidnap', 'kidnapping',
  'abduct', 'maim', 'hurt', 'hurting', 'injure', 'beat up', 'assault', 'attack', 'run over', 'slaughter', 'massacre',
  'assassinate', 'drown', 'lynch', 'rape', 'mutilate', 'smother', 'suffocate', 'bludgeon', 'set fire to',
  'attacking', 'assaulting', 'injuring', 'kidnapping', 'abducting', 'maiming', 'drowning', 'lynching', 'raping',
  'mutilating', 'smothering', 'suffocating', 'beating up', 'running over', 'assassinating', 'slaughtering',
]);
const relation = any([
  'wife', 'husband', 'girlfriend', 'boyfriend', 'partner', 'ex', 'mom', 'mother', 'dad', 'father', 'parents', 'parent',
  'brother', 'sister', 'son', 'daughter', 'child', 'children', 'kid', 'kids', 'baby', 'family', 'neighbor', 'neighbour',
  'neighbors', 'neighbours', 'boss', 'manager', 'coworker', 'coworkers', 'colleague', 'colleagues', 'teacher', 'teachers',
  'classmate', 'classmates', 'student', 'students', 'friend', 'friends', 'roommate', 'landlord', 'president', 'senator',
  'cop', 'cops', 'police officer', 'police', 'officer', 'doctor', 'nurse', 'customer', 'man', 'woman', 'men', 'women',
  'girl', 'boy', 'guy', 'judge', 'politician', 'witness', 'victim', 'bully', 'stepdad', 'stepmom', 'uncle', 'aunt',
  'grandma', 'grandpa', 'cousin', 'mayor', 'governor', 'ceo', 'lawyer', 'pastor', 'priest', 'imam', 'rabbi',
]);
const person = `(?:someone|somebody|anyone|everyone|everybody|people|person|him|her|them|you|u|a human|humans|(?:my|his|her|their|the|a|an|that|this|our|your|some|all|those|these) (?:\\w+ )?${relation})`;
const fillerToPerson = '(?:(?:all|every|both|off|up|dead|the) )?';
const places = any([
  'school', 'schools', 'mall', 'church', 'mosque', 'synagogue', 'temple', 'concert', 'stadium', 'airport', 'subway',
  'train station', 'government building', 'office', 'hospital', 'crowd', 'parade', 'festival', 'embassy', 'nightclub',
  'club', 'campus', 'classroom', 'kindergarten', 'daycare', 'courthouse', 'police station', 'bus',
]);
const protectedGroups = any([
  'jews', 'jewish people', 'muslims', 'christians', 'hindus', 'sikhs', 'buddhists', 'atheists', 'catholics', 'black people',
  'blacks', 'white people', 'whites', 'asians', 'asian people', 'arabs', 'latinos', 'hispanics', 'mexicans', 'africans',
  'indians', 'chinese people', 'chinese', 'immigrants', 'refugees', 'migrants', 'gays', 'gay people', 'lesbians',
  'homosexuals', 'trans people', 'transgender people', 'bisexuals', 'queer people', 'women', 'men', 'disabled people',
  'the disabled', 'autistic people', 'gypsies', 'roma', 'foreigners', 'jew', 'muslim', 'immigrant',
]);
const dehumanising = any([
  'animals', 'vermin', 'parasites', 'subhuman', 'sub human', 'cockroaches', 'rats', 'scum', 'inferior', 'filth',
  'diseased', 'a disease', 'a plague', 'a cancer', 'savages', 'monkeys', 'apes', 'pigs', 'dogs', 'trash', 'garbage',
  'evil', 'criminals', 'rapists', 'terrorists', 'not human', 'less than human', 'an infestation', 'degenerates',
]);
const elimination = any([
  'die', 'be killed', 'be exterminated', 'be eradicated', 'be gassed', 'be wiped out', 'be shot', 'be hanged',
  'be lynched', 'be burned', 'be sterilized', 'be eliminated', 'be deported', 'be removed', 'be purged', 'not exist',
  'not be allowed to live', 'be put down', 'rot',
]);
const minors = any([
  'child', 'children', 'childs', 'kid', 'kids', 'minor', 'minors', 'underage', 'under age', 'preteen', 'pre teen',
  'prepubescent', 'toddler', 'toddlers', 'infant', 'infants', 'little girl', 'little girls', 'little boy', 'little boys',
  'young girl', 'young girls', 'young boy', 'young boys', 'schoolgirl', 'schoolgirls', 'schoolboy', 'schoolboys', 'loli',
  'lolis', 'shota', 'pedo', 'jailbait', 'middle schooler', 'middle schoolers', 'grade schooler', 'fifth grader',
  'sixth grader', 'seventh grader', 'eighth grader',
]);
const minorAge = '(?:[1-9]|1[0-7]) ?(?:year old|years old|yr old|yrs old|yo|y o)';
const sexual = any([
  'sex', 'sexual', 'sexually', 'sexy', 'nude', 'nudes', 'naked', 'porn', 'porno', 'pornography', 'pornographic',
  'erotic', 'erotica', 'sexually explicit', 'nsfw', 'lewd', 'hentai', 'seduce', 'seducing', 'molest', 'molesting',
  'molested', 'fondle', 'fondling', 'intercourse', 'orgasm', 'aroused', 'arousing', 'fetish', 'genitals', 'genitalia',
  'sext', 'sexting', 'topless', 'undress', 'undressing', 'grooming for sex', 'sexualize', 'sexualized', 'onlyfans',
]);
const protective = any([
  'report', 'reporting', 'reported', 'prevent', 'prevention', 'protect', 'protecting', 'protection', 'safety', 'safe',
  'signs of', 'warning signs', 'recognize', 'recognise', 'survivor', 'survivors', 'hotline', 'education', 'educate',
  'talk to my', 'talk to our', 'age appropriate', 'pediatrician', 'paediatrician', 'is it normal', 'therapist', 'therapy',
  'puberty', 'consent', 'abuse', 'abused', 'law', 'laws', 'illegal', 'police',
]);
const make = any([
  'make', 'making', 'build', 'building', 'assemble', 'assembling', 'construct', 'constructing', 'synthesize',
  'synthesise', 'synthesizing', 'synthesising', 'cook', 'cooking', 'manufacture', 'manufacturing', 'produce',
  'producing', 'create', 'creating', 'brew', 'brewing', 'extract', 'extracting', '3d print', 'print', 'convert',
  'weaponize', 'weaponise', 'detonate', 'set off', 'plant', 'get', 'buy', 'mix', 'prepare', 'refine', 'enrich',
]);
const weapons = any([
  'bomb', 'bombs', 'pipe bomb', 'pipe bombs', 'explosives', 'explosive device', 'explosive devices', 'ied', 'ieds', 'improvised explosive device',
  'molotov', 'molotov cocktail', 'molotov cocktails', 'napalm', 'thermite', 'grenade', 'grenades', 'landmine',
  'landmines', 'detonator', 'nerve agent', 'nerve gas', 'sarin', 'vx', 'ricin', 'anthrax', 'botulinum toxin',
  'mustard gas', 'chlorine gas', 'phosgene', 'chemical weapon', 'chemical weapons', 'bioweapon', 'bioweapons',
  'biological weapon', 'dirty bomb', 'nuclear bomb', 'nuclear weapon', 'ghost gun', 'untraceable gun',
  'untraceable firearm', 'zip gun', 'silencer', 'suppressor', 'auto sear', 'glock switch', 'bump stock',
  'full auto conversion', 'machine gun', 'poison', 'cyanide', 'tatp', 'anfo', 'car bomb', 'suicide vest',
  'weapons grade uranium', 'weapons grade plutonium', 'pathogen', 'toxin',
]);
const drugs = any([
  'meth', 'methamphetamine', 'crystal meth', 'fentanyl', 'carfentanil', 'heroin', 'cocaine', 'crack cocaine',
  'crack rocks', 'lsd', 'mdma', 'ecstasy pills', 'ghb', 'pcp', 'dmt', 'opium', 'date rape drug', 'roofies',
]);
const malware = any([
  'ransomware', 'keylogger', 'key logger', 'malware', 'computer virus', 'trojan', 'botnet', 'rootkit',
  'credential stealer', 'infostealer', 'info stealer', 'phishing kit', 'phishing page', 'phishing site',
  'phishing email', 'phishing emails', 'phishing sms', 'spyware', 'stalkerware', 'ddos tool', 'zero day exploit',
  'exploit kit', 'card skimmer',
]);
const privateTarget =
  '(?:someones|someone elses|somebodys|another persons|other peoples|peoples|(?:my|his|her|their|a|the) (?:\\w+ )?(?:ex|exs|girlfriends|boyfriends|wifes|husbands|boss|bosss|neighbors|neighbours|coworkers|colleagues|teachers|friends|partners|moms|dads|sisters|brothers|victims|targets|employees))';
const accounts = any([
  'account', 'accounts', 'email', 'emails', 'inbox', 'phone', 'iphone', 'instagram', 'facebook', 'snapchat', 'whatsapp',
  'messages', 'texts', 'wifi', 'computer', 'laptop', 'bank account', 'camera', 'webcam', 'location', 'icloud', 'gmail',
  'password', 'passwords', 'wi fi', 'wi fi network', 'wifi network', 'network', 'router', 'notes', 'workspace',
  'files', 'cloud', 'drive', 'dropbox', 'calendar',
]);

/** Games and stories talk about killing bosses and villains; violence rules about persons do not count there. */
const gameOrFiction = new RegExp(
  `\\b${any([
    'game', 'games', 'gaming', 'level', 'boss fight', 'final boss', 'quest', 'dungeon', 'raid', 'minecraft', 'fortnite',
    'roblox', 'skyrim', 'elden ring', 'dark souls', 'zelda', 'pokemon', 'npc', 'npcs', 'mob', 'mobs', 'my character',
    'novel', 'story', 'screenplay', 'fiction', 'fictional', 'plot', 'villain', 'chess', 'dnd', 'dungeons and dragons',
  ])}\\b`,
);

const inGameOrFiction = (normalized: string) => gameOrFiction.test(normalized);

const protectiveQuestion = new RegExp(`\\b${protective}\\b`);
const asksForContent = /\b(?:write|describe|generate|show me|send|pics|pictures|photos|images|videos|story|roleplay|role play|fantasy|imagine)\b/;

/**
 * True when a text pairing a minor with a sexual word is a protective question ("how do I talk to
 * my kids about sex", "signs of abuse") rather than a request for content.
 */
export function isProtectiveQuestion(normalized: string): boolean {
  return protectiveQuestion.test(normalized) && !asksForContent.test(normalized);
}

function rule(id: string, category: HarmCategory, source: string): HarmRule {
  return { id, category, pattern: new RegExp(source) };
}

/** The rule, not counting in texts where `unless` holds. */
function except(harmRule: HarmRule, unless: (normalized: string) => boolean): HarmRule {
  return { ...harmRule, unless };
}

/** The built-in rules of the harmful-content classifier. */
export const harmRules: readonly HarmRule[] = [
  // violence
  except(rule('violence.harm_person', 'violence', `\\b${request} (?:\\w+ ){0,3}?${harmVerbs} ${fillerToPerson}${person}\\b`), inGameOrFiction),
  except(rule('violence.beat_person', 'violence', `\\b${request} (?:\\w+ ){0,3}?beat ${person} (?:up|to death|senseless|unconscious)\\b`), inGameOrFiction),
  rule(
    'violence.threat',
    'violence',
    `\\b(?:im|i am|i will|ill|gonna|going to|i swear i will|i swear ill|we will|were going to) (?:\\w+ ){0,2}?(?:kill|murder|stab|shoot|strangle|hurt|end|gut|slit your throat|break your neck|burn your house)(?: you| u| your family| your kids)\\b`,
  ),
  rule('violence.death_threat', 'violence', '\\b(?:you(?:re| are)? (?:going to|gonna) die|i know where you live|youre dead meat|you are dead meat|watch your back bitch)\\b'),
  rule(
    'violence.attack_place',
    'violence',
    `\\b(?:${request} (?:\\w+ ){0,3}?)?(?:shoot up|bomb|blow up|attack|set fire to|burn down|drive (?:a car |a truck )?into|open fire (?:at|in|on)) (?:a |an |the |my |our |this |that )?(?:local )?${places}\\b`,
  ),
  rule('violence.mass_shooting', 'violence', `\\b${request} (?:\\w+ ){0,4}?(?:mass shooting|school shooting|terror attack|terrorist attack|massacre|car ramming)\\b`),
  rule('violence.dispose_body', 'violence', `\\b${request} (?:\\w+ ){0,2}?(?:hide|dispose of|get rid of|dissolve|bury|dismember) (?:a |the |his |her |their )?(?:dead )?(?:body|bodies|corpse|corpses)\\b`),
  rule('violence.get_away', 'violence', `\\b${request} (?:\\w+ ){0,2}?get away with (?:killing|murdering|hurting|stabbing|shooting) ${person}\\b`),

  // self-harm
  rule('self_harm.kill_myself', 'self_harm', '\\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting|starve|starving|hang|hanging|shoot|shooting|poison|poisoning|drown|drowning|burn|burning) (?:myself|my self|my wrists?)\\b'),
  rule('self_harm.end_life', 'self_harm', '\\b(?:end|ending|take|taking) my (?:own )?life\\b(?! (?:in|to|into|back|seriously|one|more|further|forward)\\b)'),
  rule('self_harm.suicide_intent', 'self_harm', `\\b(?:${request} (?:\\w+ ){0,2}?|thinking (?:about|of) |planning (?:to |on )?|going to |want to )(?:commit(?:ting)? )?suicide\\b`),
  rule('self_harm.commit_suicide', 'self_harm', '\\b(?:commit|committing) suicide\\b'),
  rule('self_harm.method', 'self_harm', '\\b(?:suicide (?:methods?|note|plan|pact)|best way to die|easiest way to die|painless(?:ly)? (?:way to )?(?:die|death|suicide)|quickest way to die|lethal dose (?:of \\w+ )?to (?:die|kill myself))\\b'),
  rule('self_harm.want_to_die', 'self_harm', '\\b(?:i (?:want|wanna|wish i could|just want|really want) (?:to )?die|i dont want to (?:live|be alive|wake up) anymore|i dont want to (?:live|be alive)|no reason to (?:live|go on)|better off dead|i should just die)\\b'),
  rule('self_harm.overdose', 'self_harm', '\\b(?:how many (?:\\w+ ){0,6}?(?:to|take to) (?:overdose|od|kill me|die)|overdose on purpose|intentionally overdose)\\b'),
  rule('self_harm.self_injury', 'self_harm', `\\b${request} (?:\\w+ ){0,2}?(?:self harm|selfharm|self injure|cut myself|cut without|starve myself)\\b`),

  // hate and harassment
  rule('hate.dehumanising', 'hate_harassment', `\\b(?:all |most |those |these |the |every |filthy )?${protectedGroups} (?:are|r|is|remain) (?:all |just |nothing but |basically |such |a bunch of |like )?(?:(?:dirty|filthy|disgusting|stupid|worthless) )?${dehumanising}\\b`),
  rule('hate.elimination', 'hate_harassment', `\\b${protectedGroups} (?:should|must|need to|ought to|deserve to|have to|will) (?:all )?${elimination}\\b`),
  rule('hate.exterminate', 'hate_harassment', `\\b(?:kill|exterminate|gas|eradicate|wipe out|eliminate|lynch|get rid of|ethnically cleanse|deport) (?:all )?(?:the |of the |these |those )?${protectedGroups}\\b`),
  rule('hate.hate_group', 'hate_harassment', `\\bi (?:hate|despise|loathe|detest) (?:all |the |those |these )?${protectedGroups}\\b`),
  rule(
    'hate.mock_characteristic',
    'hate_harassment',
    `\\b(?:write|tell|make|give me|generate|create|compose) (?:\\w+ ){0,3}?(?:joke|jokes|meme|memes|insult|insults|rant|poem|song|story|post|tweet)(?: \\w+){0,4} (?:mock|mocks|mocking|ridicule|ridicules|ridiculing|makes fun of|making fun of|make fun of|insult|insults|insulting|demean|demeans|demeaning|belittle|belittles|belittling|degrade|degrades|degrading|humiliate|humiliates|humiliating)(?: \\w+){0,4} (?:for|because of|about|over|based on) (?:their |his |her |its )?(?:religion|religions|race|races|ethnicity|skin colour|skin color|nationality|gender|sexual orientation|sexuality|disability|disabilities|faith|religious beliefs|ethnic background|caste)\\b`,
  ),
  rule(
    'hate.supremacy',
    'hate_harassment',
    `\\b(?:(?:one|my|our|which|a|the white|the black|the|some|certain) (?:race|races|ethnicity|ethnic group|religion|gender|nationality|caste)|${protectedGroups}) (?:is|are) (?:\\w+ )?(?:superior|inferior|genetically inferior|genetically superior|less intelligent|less human|the master race)\\b`,
  ),
  rule('harassment.kill_yourself', 'hate_harassment', '\\b(?:go |just |you should |u should )?kill (?:yourself|urself|yourselves)\\b|\\bkys\\b'),
  rule('harassment.wish_death', 'hate_harassment', '\\b(?:you|u) (?:should|deserve to|ought to|need to) (?:just )?(?:die|rot|be killed)\\b|\\bnobody (?:would|will) miss you\\b|\\bthe world (?:would be|is) better without you\\b'),
  rule('harassment.abuse', 'hate_harassment', '\\b(?:you|u)(?:re| are| r) (?:a |an |such a |such an )?(?:worthless|pathetic|disgusting|useless|ugly|fat|stupid) (?:piece of (?:shit|trash|garbage)|waste of (?:space|air|oxygen)|loser|subhuman|freak|whore|slut)\\b'),
  rule('harassment.request', 'hate_harassment', '\\b(?:write|compose|draft|generate|create|give me) (?:\\w+ ){0,4}?(?:insults|threats|threatening messages?|hate speech|harassing messages?|harassment|bullying messages?|racist jokes?|slurs) (?:\\w+ ){0,3}?(?:to|for|about|against|targeting|aimed at)\\b'),

  // sexual content involving minors (checked in both orders; protective contexts are exempt in the classifier)
  except(rule('sexual_minors.minor_then_sexual', 'sexual_minors', `\\b(?:${minors}|${minorAge})\\b(?: \\w+){0,8}? ${sexual}\\b`), isProtectiveQuestion),
  except(rule('sexual_minors.sexual_then_minor', 'sexual_minors', `\\b${sexual}\\b(?: \\w+){0,8}? (?:${minors}|${minorAge})\\b`), isProtectiveQuestion),
  rule('sexual_minors.csam', 'sexual_minors', '\\b(?:csam|child porn|child pornography|cp links|kiddie porn|pedo porn|preteen porn)\\b'),

  // dangerous and illegal instructions
  rule('dangerous.weapons', 'dangerous', `\\b${request} (?:\\w+ ){0,3}?${make} (?:\\w+ ){0,3}?${weapons}\\b`),
  // Instructions in the voice of an answer ("To make a pipe bomb you need…"), for output checks.
  rule(
    'dangerous.instructions_given',
    'dangerous',
    `\\b(?:here is how to|heres how to|here are the steps to|steps to|to|you can|you could|first)(?: \\w+){0,2}? ${make} (?:\\w+ ){0,3}?(?:${weapons}|${drugs})\\b(?: \\w+){0,4}? (?:you need|you will need|you ll need|youll need|take|mix|combine|fill|add|get|buy|start|first|begin|heat|pack|attach|connect)\\b`,
  ),
  rule('dangerous.weapon_recipe', 'dangerous', `\\b(?:recipe|ingredients|materials|blueprint|schematics|formula) (?:for|of|to make|in) (?:a |an |the )?(?:homemade )?${weapons}\\b`),
  rule('dangerous.drugs', 'dangerous', `\\b${request} (?:\\w+ ){0,3}?(?:${make}|cook|grow|smuggle|sell|deal) (?:\\w+ ){0,3}?${drugs}\\b`),
  rule('dangerous.drug_recipe', 'dangerous', `\\b(?:recipe|ingredients|precursors?|synthesis route|synthesis steps) (?:for|of|to make) (?:\\w+ )?${drugs}\\b`),
  rule('dangerous.buy_gun', 'dangerous', '\\b(?:buy|get|obtain|order|purchase|acquire) (?:a |an )?(?:gun|guns|firearm|firearms|pistol|handgun|rifle|weapon|ar 15|ak 47) (?:\\w+ ){0,3}?(?:without (?:a )?(?:background check|license|licence|id|paperwork|serial number)|illegally|on the dark ?web|untraceable|no questions asked)\\b'),
  rule('dangerous.buy_drugs', 'dangerous', `\\b(?:buy|order|get|obtain|purchase) (?:\\w+ ){0,2}?${drugs} (?:\\w+ ){0,3}?(?:online|on the dark ?web|without (?:a )?prescription|delivered|from a dealer)\\b`),
  rule('dangerous.malware', 'dangerous', `\\b(?:write|create|code|build|develop|make|generate|program|give me) (?:\\w+ ){0,3}?${malware}\\b`),
  rule('dangerous.account_intrusion', 'dangerous', `\\b${request} (?:\\w+ ){0,2}?(?:hack|hack into|break into|get into|access|spy on|hijack|take over|read|see|track|unlock|log into|login to|get access to) (?:\\w+ ){0,1}?${privateTarget} (?:\\w+ ){0,3}?${accounts}\\b`),
  rule('dangerous.hack_generic', 'dangerous', `\\b${request} (?:\\w+ ){0,2}?(?:hack|hack into|break into|ddos|dox) (?:a |an |the |someones |somebodys )?(?:\\w+ )?(?:bank|account|accounts|email|phone|website|server|network|government|company|person|someone|wifi)\\b`),
  rule(
    'dangerous.access_without_consent',
    'dangerous',
    `\\b(?:access|get into|getting into|log into|login to|log in to|open|read|unlock|see|use|break into) (?:\\w+ ){0,5}?${accounts}\\b(?: \\w+){0,3} without (?:their|his|her|the owners|the users|the account owners|them|him|anyone) (?:password|permission|consent|knowledge|knowing|noticing|finding out)\\b`,
  ),
  rule(
    'dangerous.untraceable_weapon',
    'dangerous',
    `\\b${request} (?:\\w+ ){0,3}?(?:make|build|get|buy|assemble|print|3d print|own|carry) (?:\\w+ ){0,3}?(?:gun|guns|firearm|firearms|weapon|weapons|pistol|rifle|handgun)\\b(?: \\w+){0,4} (?:cannot be traced|can not be traced|cant be traced|that is untraceable|untraceable|without a serial number|with no serial number|not be traced|wont be traced|isnt traceable|is not traceable|without registering it|undetectable|no one can trace)\\b`,
  ),
  rule('dangerous.money_crime', 'dangerous', `\\b${request} (?:\\w+ ){0,3}?(?:launder|laundering) (?:\\w+ )?money\\b|\\b(?:make|print|produce|create) counterfeit (?:money|bills|currency|cash|notes|banknotes)\\b`),
  rule('dangerous.theft', 'dangerous', `\\b${request} (?:\\w+ ){0,3}?(?:steal|stealing|clone|cloning|skim|skimming|shoplift|shoplifting|rob|robbing|burgle|hotwire) (?:\\w+ ){0,2}?(?:credit cards?|card numbers|identities|identity|cars?|a car|catalytic converters?|a bank|banks|a store|stores|a house|houses|a shop|someone|people|packages|without getting caught)\\b`),
  rule('dangerous.evade', 'dangerous', `\\b${request} (?:\\w+ ){0,4}?(?:without getting caught|without leaving (?:a )?trace|without leaving evidence|evade the police|avoid the police finding)\\b`),
];

