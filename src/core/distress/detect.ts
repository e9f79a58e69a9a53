import { foldText } from '../text/fold.js';

/** How urgently a person may need help. Ordered: none < concern < high < imminent. */
export type DistressLevel = 'none' | 'concern' | 'high' | 'imminent';

/** What the detector found in one message. `signals` are stable ids (see SIGNAL_IDS). */
export type DistressResult = {
  level: DistressLevel;
  signals: string[];
  /** Someone under 18 seems to be involved. */
  minor: boolean;
  /** The person seems to be outside Vietnam (Cambodia, Laos, Myanmar, ...). */
  abroad: boolean;
  /** The writer speaks about someone else (a son, a sister, a friend). */
  thirdPerson: boolean;
};

/** Extra facts about the message that the text alone does not carry. */
export type DistressContext = { forwarded?: boolean };

export const DISTRESS_LEVELS: readonly DistressLevel[] = ['none', 'concern', 'high', 'imminent'];

/** Every signal id the detector can report, for consumers that map them to labels. */
export const SIGNAL_IDS = [
  'help_request',
  'confinement',
  'cannot_leave',
  'violence',
  'threat',
  'ransom',
  'ransom_deadline',
  'sold',
  'passport_taken',
  'forced_work',
  'deceived',
  'contact_cut',
  'moved_between_companies',
  'debt_bondage',
  'wages_withheld',
  'excessive_hours',
  'prison_like',
  'monitored',
  'location_unknown',
  'missing',
  'abusive_conditions',
  'fear',
  'distress_words',
  'minor',
] as const;
export type SignalId = (typeof SIGNAL_IDS)[number];

type Tier = 'weak' | 'concern' | 'high' | 'imminent';
type Rule = { id: SignalId; tier: Tier; re: RegExp };

const RANK: Record<DistressLevel, number> = { none: 0, concern: 1, high: 2, imminent: 3 };

// Word groups, all in folded form (no diacritics, teencode expanded).
const ME = '(?:toi|em|minh|chung toi|chung em|bon em|bon toi|con|chau|tui|tao)';
const WHO = `(?:${ME}|no|nguoi|moi nguoi|ca nhom|anh|chi|ho|chong toi|vo toi|con toi|em toi|nguoi ta)`;
const AGENT =
  '(?:ho|chung no|bon no|bon ho|bon chung|tui no|cong ty|chu|ong chu|quan ly|boss|sep|bao ve|nguoi ta|may thang|chung)';
const DOCS = '(?:ho chieu|passport|giay to|cccd|cmnd|can cuoc|the can cuoc)';
const EN_OBJ = '(?:me|us|him|her|them)';
const EN_POSS = '(?:my|our|his|her|their)';
const EN_BE = '(?:am|m|is|s|are|re|was|were|been|being|be|get|got|gets|getting)';
const MONEY = '(?:\\d+ ?(?:trieu|tr|do|usd|\\$|dola|dollar|dollars|nghin do|k do|k)|\\$ ?\\d+)';
const RELATIVE_VI =
  '(?:con (?:toi|minh|em|trai|gai|nha toi|nha minh|ut|ca)|chong (?:toi|em|minh|chi)|vo (?:toi|em|minh)|em (?:trai|gai|ho)|anh (?:trai|ho)|chi (?:gai|ho)|ban (?:toi|em|minh|than|trai|gai)|chau (?:toi|minh|em|trai|gai)|(?:bo|me|cau|di|co|chu|bac) (?:toi|em|minh)|nguoi nha|nguoi than|thang (?:con|em|chau|be)|con be|be (?:nha|gai|trai))';
const RELATIVE_EN =
  '(?:(?:my|our) (?:son|daughter|sister|brother|husband|wife|friend|cousin|nephew|niece|child|kid|boy|girl|mother|mom|mum|father|dad|uncle|aunt|boyfriend|girlfriend|grandson|granddaughter|sibling|relative|family member)s?)';

const r = (source: string): RegExp => new RegExp(source);

const RULES: Rule[] = [
  // Asking for rescue. "cứu hộ" (rescue services) never matches: "ho" is not an accepted object.
  {
    id: 'help_request',
    tier: 'high',
    re: r(
      `\\bcuu (?:${ME}|voi|giup|gap|nguoi|chong toi|vo toi|con toi|em toi)\\b(?! (?:meo|cho|ca|ga|chim|vit|heo|lon|tho|cay|xe|may|dien thoai|laptop)\\b)|\\bcuu cuu\\b|\\b(?:cau cuu|keu cuu)\\b|^cuu$|\\bcuu$|\\bsos\\b|\\bgiai cuu (?:${ME}|con toi|chong toi|em toi|chau toi)\\b|\\bgiup (?:${ME}) (?:thoat|tron|tron thoat|ve nuoc|ve nha|ra khoi|bao cong an)`,
    ),
  },
  {
    id: 'help_request',
    tier: 'high',
    re: r(
      `(?:^|\\bplease )help(?: ${EN_OBJ})?(?: please)?$|\\b(?:please )?help (?:me|us|him|her|them)\\b(?= (?:please|now|asap|i|we|they|someone|anyone|sos|my|our|he|she|get out|escape|im|i m|they re|guys)\\b|$)|\\bplease help\\b(?= (?:please|now|asap|i|we|they|someone|anyone|sos|my|our|he|she|can t|quick|quickly|urgent|hurry)\\b|$)|\\b(?:save|rescue) (?:me|us)\\b|\\bget (?:me|us) out\\b|\\bsend help\\b|\\b(?:i m|i am|we re|we are) not safe\\b|\\b(?:i|we) (?:need|have|must) to get out\\b(?! of (?:bed|the house|town)\\b)`,
    ),
  },
  { id: 'help_request', tier: 'weak', re: r(`\\bgiup (?:${ME}) voi\\b|\\bhelp$`) },

  // Held now: the strongest sign of immediate danger.
  {
    id: 'confinement',
    tier: 'imminent',
    re: r(
      `\\bbi(?<!\\b(?:luong|tien|xe|do|hang|giay to|ho chieu|passport|cccd|cmnd|dien thoai|tai khoan|the|bang)(?: cua [a-z]+(?: [a-z]+)?)? bi) (?:giu|giu lai|nhot|nhot lai|giam|giam long|bat coc|bat giu|cam tu)\\b(?! (?:diem|gia|can|hoc phi|gio lam|o nha (?:ca|vi|may)|vi dich|lai (?:sau|de|lam|hop|tan)|hanh ly|vali|do dac|trong thang may|trong xe|sau|de hop|de lam|lam them|hop|ngoai|xe|luong|tien|bang|dien thoai|ho chieu|giay|hang|do|may|the|cccd|cmnd|can cuoc|cho|chan|bi mat|tai khoan|nick|acc|sim)\\b)|\\bbi khoa (?:o )?trong (?:phong|nha|kho|can)\\b|\\bbi (?:${AGENT}|nguoi ta|tui no|bon no|chung) (?:giam|nhot|giu lai|bat giu|bat coc|khoa trai)\\b|\\b(?:cong tay|xich chan|xich tay|troi tay|troi chan|day troi|bi troi)\\b|\\btroi (?:${ME}|no|chung toi) lai\\b|\\bbi (?:bat|mang|dem|dua) di (?:roi|mat)\\b|\\bbi bat di\\b|\\b(?:phong|cua) (?:bi )?khoa (?:trai|ngoai|lai|tu ben ngoai)\\b|\\bo trong phong bi khoa\\b|\\bkhoa (?:trai|ngoai) (?:cua|phong)\\b|\\bkhoa (?:cua )?phong (?:${WHO}|bon em|chung em|chung toi)\\b|\\b(?:nhot|giam|giam long|bat coc) (?:${WHO})(?: lai)? (?:trong|o|tai|ngay)\\b|\\bgiu (?:toi|em|minh|chung toi|chung em|con) lai\\b|\\b(?:${AGENT}) (?:dang )?giu (?:${ME}|no) (?:o|lai|trong|tai)\\b|\\b(?:nhot|giam long|bat coc) (?:${WHO})\\b|\\bkhong cho (?:${WHO} )?ra khoi (?:phong|khu|cong ty|toa nha|nha)`,
    ),
  },
  {
    id: 'confinement',
    tier: 'imminent',
    re: r(
      `\\b(?:locked|lock) (?:${EN_OBJ} )?(?:in|up|inside)\\b(?! (?:a |the )?(?:tight |close )?(?:race|battle|contest|match|game|competition|struggle)\\b)|\\b(?:doors?|gates?|rooms?) (?:are|is) (?:always )?locked (?:at all times|all the time|day and night|24\\/7|from (?:the )?outside)\\b|(?<!\\b(?:gates?|doors?|shops?|stores?|offices?|toilets?|schools?|parks?|accounts?|files?|phones?|screens?|cars?|bikes?) )\\b${EN_BE} (?:being )?(?:detained|trapped|locked|imprisoned|confined|kidnapped|abducted)\\b(?! (?:up in traffic|in traffic|in (?:meetings?|a meeting|work|this (?:job|class|town)|my (?:job|room)|the rain|bed|the lift|the elevator)|out|in a (?:tight |close )?(?:race|battle|contest|match|game|competition|fight for|struggle))\\b)|\\b${EN_BE} (?:being )?(?:held|kept)\\b(?= (?:captive|hostage|prisoners?|against|inside|there|here|in (?!(?:mind|high|regard|check|place|trust|escrow|reserve|stock|memory|common|contempt|custody of the)\\b)|by (?:them|the|men|guards|a gang|armed|his|her|their|my|our|an?)|at (?:the|a) (?:compound|camp|building))\\b|$)|\\bheld (?:captive|hostage|against)\\b|\\b(?:people|men|gang|those|they|who are|who re) holding (?:${EN_OBJ}|${RELATIVE_EN})\\b|\\b(?:kidnapped|abducted|hostage)\\b|\\bthey (?:lock|locked|lock up) (?:the |all the |our )?(?:doors?|gates?|rooms?)\\b|\\bin (?:a |the )?locked (?:room|building|compound|house|cell|container)\\b|\\bthey (?:lock|locked|keep|kept|hold|are holding|re holding|held|are keeping|re keeping|are locking) (?:${EN_OBJ})\\b(?! (?:busy|updated|posted|informed|company|safe|warm|waiting|in mind)\\b)`,
    ),
  },

  // Not let go, in words that stop short of "locked in".
  {
    id: 'cannot_leave',
    tier: 'high',
    re: r(
      `\\bkhong cho (?:${WHO} )?(?:ve|ra|roi|thoat|di ve|di ra|nghi viec|bo)\\b|\\bkhong duoc (?:phep )?(?:ra ngoai|ra khoi|roi khoi|ve nuoc|thoat|roi di)\\b|\\bkhong (?:the )?thoat (?:ra )?(?:duoc|khoi)\\b|\\bmuon ve (?:nha |nuoc |vn |viet nam |que )?nhung (?:ho |chung no |cong ty )?(?:khong cho|bat|khong duoc)|\\bcho (?:toi|em|minh|con|chung toi) ve (?:nha|nuoc|vn|viet nam|que)\\b|\\b(?:muon|tim cach|dinh|bo|dang) tron(?: thoat| khoi| ra| ve)?\\b(?! hoc\\b)|\\btron (?:thoat|khoi day|ra khoi)\\b|\\bdang (?:tron|nup) (?:trong|o|duoi|sau)\\b|\\bkhong (?:co )?loi thoat\\b|\\b(?:chua|khong) (?:duoc )?(?:buoc )?ra khoi (?:cong|khu|toa nha|phong|day)\\b|\\bmuon (?:ve|nghi|di)(?: som)?(?: thi)? phai (?:den|boi thuong|nop tien|tra tien|dong tien)\\b|\\bphai .{0,30}\\bmoi (?:duoc|cho) (?:ve|di|nghi)\\b`,
    ),
  },
  {
    id: 'cannot_leave',
    tier: 'high',
    re: r(
      `\\bcan t (?:leave|escape|get out|get away)\\b|\\bcan not (?:leave|escape|get out)\\b|\\b(?:not|never) allowed to (?:leave|go home|return|quit|escape)\\b|\\b(?:won t|will not|don t|do not|wouldn t|would not) let (?:${EN_OBJ}|anyone|anybody|people|us all) (?:leave|go|out|return|quit|come home)\\b|\\bno way out\\b|\\bso (?:we|i) (?:can t|can not|cannot) (?:run|escape|leave)\\b|\\b(?:want|wants|trying|try|tried|plan|planning|help (?:me|us)) to (?:escape|run away)\\b|\\b(?:i m|i am|we re|we are) hiding\\b|\\bwants? to (?:go|come) home but\\b`,
    ),
  },
  {
    id: 'cannot_leave',
    tier: 'concern',
    re: r(
      `\\bkhong (?:the )?ve (?:duoc|nha duoc|nuoc duoc|vn duoc)\\b|\\b(?:not|never) allowed to go (?:out|outside)\\b|\\b(?:can t|can not|cannot|not allowed to) go (?:out|outside)\\b|\\b(?:khong|ko) (?:ai )?(?:duoc|cho) (?:ra ngoai|ra khoi)\\b|\\bbi ket (?:o|lai|tai|ben)\\b(?! (?:xe|duong)\\b)|\\bstuck (?:here|there|in (?:cambodia|myanmar|laos|the compound|this place|a compound))\\b|\\bmac ket (?:o|tai|ben)\\b|\\bkhong (?:duoc|cho) (?:ra ngoai|di ra ngoai)(?: mot minh)?\\b|\\bkhong (?:the )?ra (?:duoc|ngoai duoc)\\b|\\bkhong (?:duoc|cho) di (?:dau|ra ngoai|dau ca|dau het)\\b|\\b(?:ra ngoai|ra khoi (?:khu|cong ty|ky tuc xa)) (?:phai|cung phai) xin phep\\b|\\bphai xin phep (?:moi duoc )?(?:ra ngoai|ra khoi)\\b|\\b(?:ask|asks|get) permission to (?:leave|go out)\\b|\\b(?:says|said|told (?:me|us)) (?:that )?(?:he|she|they) (?:can t|can not) (?:come|go) home\\b`,
    ),
  },

  {
    id: 'violence',
    tier: 'imminent',
    re: r(
      `\\bbi (?:danh|danh dap|tra tan|dien giat|chich dien|giat dien|dap|dam|chem|hanh ha|hanh hung|bo doi|tat|xich|troi|hiep|cuong hiep)\\b(?! (?:gia|may|thue|rang|bai|cau|dau|so|thuc|lua|ten|chu|boss|game|tieng|dien|nguon|mang|song|wifi|den|thu|co|diem|ket|hang|xe|trung|gio|dong|ve|kem|sang|qua|cho|toi|lai|di|vao|ra|nguoi|roi|mat|hop dong|tien|up|bai|tran|cap|roi)\\b)|\\b(?:${AGENT}|no|may thang|tui no) (?:lai |da |hay |con |dang )?(?:danh|danh dap|tra tan|chich dien|dien giat|giat dien|hanh ha|dap|dam|chem) (?:${WHO})\\b(?! (?:mat|ca|bai|may|rang)\\b)|\\b(?:tra tan|dien giat|chich dien|giat dien|danh chet|danh dap|hanh hung|xam hai|hiep dam|cuong hiep|an don|bi don)\\b|\\bbi (?:${AGENT}|no) (?:danh|danh dap|tra tan|dien giat|chich dien|hanh ha|dap)\\b|\\b(?:phat dung|dung phoi nang|phoi nang|nhin an|bo doi|quy goi|danh)\\b.{0,30}\\b(?:thieu|khong dat|khong du|vi) (?:chi tieu|kpi|doanh so)\\b|\\bkhong (?:dat|du) (?:chi tieu|kpi|doanh so)\\b.{0,30}\\b(?:danh|phat|chich dien|tra tan|dien giat|bo doi)\\b`,
    ),
  },
  {
    id: 'violence',
    tier: 'imminent',
    re: r(
      `\\b(?:i|we|he|she|they) (?:got|get|gets|was|were) (?:hit|slapped|kicked|punched)\\b(?! (?:by (?:a |the )?(?:car|ball|bus|truck|bike|wave)|the (?:road|gym|jackpot|books)|it off)\\b)|(?<!\\b(?:will|ll|gonna|would|to|d) )\\b(?:beat|beats|beating|hit|hits|hitting|kicked|kick|kicks|punched|punch|slapped|slap|hurt|hurts|hurting|tortured|torture|tortures|shock|shocked|electrocute|electrocuted|whipped|abuse|abused|rape|raped|assault|assaulted) (?:${EN_OBJ}|people|workers|anyone|those|everyone|(?:a|the|one|another|two|three|some|my|our|his|her) (?:new |other |young )?(?:girl|boy|man|men|woman|women|guy|worker|person|people|colleague|coworker|friend|roommate)s?)\\b(?! (?:up|\\d+|in the (?:final|game|match|semi)|at (?:chess|football|soccer|tennis|cards))\\b)|\\b${EN_BE} (?:beaten|beat|kicked|punched|slapped|hurt|tortured|shocked|electrocuted|whipped|raped|assaulted|abused|chained|tied up)\\b(?! by (?:a |the )?(?:car|ball|bus|truck))|\\b(?<!un)beaten\\b(?! (?:track|path|eggs?)\\b)|\\b(?:torture|electric shocks?|electrocuted|beatings|tased|tasered|tasers?|sexually abused|electric batons?|stun guns?)\\b|\\b(?:bi|danh bang|dung|bang) dui cui dien\\b|\\bdui cui(?: dien)? (?:vao|len)\\b|\\b(?:di|chich|dung) dui cui\\b|\\b(?:quat roi|bi quat|roi da|roi dien(?! thoai))\\b|\\bkhong cho (?:${WHO} )?an\\b|\\bpunish(?:es|ed|ing)? (?:${EN_OBJ}|people|workers|anyone|everyone) (?:with|by)\\b|\\bstarv(?:e|es|ed|ing) (?:us|me|them|him|her)\\b`,
    ),
  },

  {
    id: 'threat',
    tier: 'imminent',
    re: r(
      `\\b(?:lay noi tang|mo lay (?:noi tang|than)|ban noi tang|de doa|ham doa|doa (?:giet|danh|ban|chat|bat|nhot|hai|tra tan|dien giat|gia dinh|se|la|neu|${ME}|chung))\\b|\\b(?:se|dinh|muon|doi|thi) (?:giet|chat|ban|danh chet|danh|hai|chat tay|mo lay) (?:toi|em|minh|con|chung toi|chung em|no|gia dinh|ca nha|bo me|nguoi nha|ngon tay)\\b(?! mat)|\\b(?:${AGENT}|linh gac|no) (?:se|dinh|doa|thi|lai doa) (?:ban chet|ban|giet|chem|chich dien|tra tan)\\b|\\bneu (?:khong|ko) (?:tra|nop|gui|chuyen|dong|dat) .{0,30}\\b(?:giet|danh|ban|chat|tra tan|dien giat)\\b`,
    ),
  },
  {
    id: 'threat',
    tier: 'imminent',
    re: r(
      `\\bthreaten(?:ed|s|ing)? (?:to (?:kill|hurt|beat|sell|shoot|harm|torture|send|report)|me|us|him|her|them|my (?:family|parents|mother|mom|father|dad|son|daughter|wife|husband)|our (?:family|families|parents))\\b|\\b(?:death threats|threats? (?:against|to) (?:me|us|my|our|him|her))\\b|\\b(?:received|got|get|getting|receive) threats\\b|\\b(?:sell|take|harvest) (?:my|our|his|her|their) organs\\b|\\b(?:they|he|she|boss|guards?|men|manager)(?: said they)? (?:will|would|ll|d|gonna|are going to|is going to|re going to|threatened to) (?:kill|hurt|beat|sell|shoot|torture|harm) (?:${EN_OBJ}|my family|our family|you|${RELATIVE_EN})\\b|\\bif (?:we|i|you|they) (?:go to|call|tell|contact) (?:the )?police\\b|\\bneu (?:bao|trinh bao|goi) (?:cong an|canh sat)\\b|\\b(?:bao|trinh bao|goi) (?:cong an|canh sat)\\b.{0,20}\\b(?:giet|danh|ban chet|xu)\\b`,
    ),
  },

  {
    id: 'ransom',
    tier: 'high',
    re: r(
      `\\b(?:tien chuoc|chuoc (?:nguoi|ve|ra|con|em|toi|minh|chau|no|lai|chong|vo)|phai chuoc|doi chuoc|phi den bu|den bu hop dong|boi thuong hop dong|tien den bu|tien boi thuong hop dong|phat hop dong|pha hop dong|phi chuoc|den hop dong|den tien hop dong|(?:tien|phi) (?:vi pham|pha|phat|den bu|boi thuong) hop dong)\\b|\\b(?:doi|bat|yeu cau) .{0,20}${MONEY}.{0,40}\\b(?:neu khong|khong thi|thi se)\\b|\\b(?:doi|bat|yeu cau|phai) .{0,40}${MONEY}.{0,40}\\b(?:tha|cho (?:no |em |con |toi |minh |chau |anh |chi )?ve|chuoc|tra nguoi|ra ve|thoat|duoc (?:ve|tha|ra|nghi)|cho nghi|nghi viec)\\b`,
    ),
  },
  {
    id: 'ransom',
    tier: 'high',
    re: r(
      `\\bransom\\b|\\bpay (?:for|to get) (?:${EN_POSS} |${EN_OBJ} )?(?:release|freedom|out|back|free)\\b|\\bbuy (?:${EN_OBJ}) (?:out|back|freedom)\\b|\\brelease fee\\b|\\b(?:contract )?(?:penalty|compensation) (?:for|to) (?:leave|leaving|break|breaking|end|ending|quit|quitting)\\b|\\bcontract (?:penalty|breach fee|compensation)\\b|\\b(?:a )?(?:penalty|release fee) (?:of )?${MONEY}|\\b(?:muon|de duoc|de|xin) (?:[a-z]+ )?(?:ve|nghi|di|thoat|ra)\\b.{0,30}\\b(?:tra|nop|dong|dat|gui) .{0,10}${MONEY}|\\b(?:den bu|boi thuong|nop phat|(?:khong thi|neu khong|hoac) den) ${MONEY}|\\b(?:want|wants|demand|demands|demanding) ${MONEY}.{0,40}\\b(?:or|otherwise)\\b|\\b(?:want|wants|demand|demands|asking|ask) .{0,30}${MONEY}.{0,40}\\b(?:let (?:${EN_OBJ}) (?:go|leave|out)|release (?:${EN_OBJ}|${EN_POSS}|${RELATIVE_EN})|(?:his|her|my|their|our) release|set (?:${EN_OBJ}|${RELATIVE_EN}) free|free (?:${EN_OBJ}|${RELATIVE_EN})|send (?:${EN_OBJ}) (?:home|back))\\b`,
    ),
  },

  {
    id: 'sold',
    tier: 'high',
    re: r(
      `\\bbi (?:ban|ban lai|ban di)\\b(?! (?:hang|do|nha|xe|dat|gia|online|hoc)\\b)|\\b(?:ban|ban lai) (?:${WHO}) (?:sang|qua|cho|vao) (?:cong ty|khu|cho khac|bon|nguoi|chu|casino|campuchia|myanmar|lao|trung quoc|mot|noi|nha)\\b|(?<!mua )\\bban nguoi\\b|\\bbi mua (?:voi gia|lai|ve)\\b|\\b(?:i|we|he|she) (?:was|were) bought\\b|\\b(?:i|we|he|she) cost (?:them )?${MONEY}|\\b(?:sold|resold|selling|sell) (?:${EN_OBJ})\\b|\\b(?:i|we|he|she|they|i m|we re|he s|she s|(?:my|our|his|her) [a-z]+) (?:was|were|got|been|has been|have been|had been|is being|are being|is|are|m|re|s) (?:sold|resold)\\b(?! (?:out|on|a|an|the|some|fake|me|us|him|her)\\b)|\\bthey sold\\b`,
    ),
  },

  {
    id: 'passport_taken',
    tier: 'high',
    re: r(
      `\\b(?:bi|${AGENT}) (?:da |lai )?(?:lay|thu|giu|tich thu|cam|thu giu|giu mat|lay mat|lay het|thu het|giu het|thu mat)(?: mat| het| luon| ca| het ca)? ${DOCS}|\\bkhong (?:con )?co giay to gi\\b|\\b${DOCS}(?: cua (?:${WHO}))? (?:(?:bi|da bi|dang bi)(?: ${AGENT})?|do (?:${AGENT})) (?:lay|thu|giu|tich thu|cam)\\b|\\b(?:khong|chua) (?:chiu )?(?:tra|tra lai) ${DOCS}|\\b${DOCS} (?:thi )?(?:${AGENT}) (?:giu|lay|thu|cam)(?: mat| het| roi)?\\b|\\b(?:${AGENT}) (?:dang )?giu ${DOCS}`,
    ),
  },
  {
    id: 'passport_taken',
    tier: 'high',
    re: r(
      `\\b(?:took|take|taken|taking|keep|keeps|kept|keeping|hold|holds|held|holding|confiscated|confiscate|seized|stole|stolen|won t give back|will not return|refuse to return) (?:away )?${EN_POSS} (?:phone and |phones and |money and )?(?:passports?|documents|papers|id|id cards?)\\b|\\b(?:passports?|documents|papers)(?: was| were| is| are| got| have been| has been)? (?:taken|confiscated|kept|held|seized)\\b|\\b(?:keep|keeps|kept|hold|holds|collect|collected|took|take) (?:all )?(?:the |our )?passports\\b|\\b(?:don t|doesn t|do not|does not) have ${EN_POSS} passport\\b|\\b${EN_POSS} (?:passports?|documents|papers) (?:is|are) with (?:the company|them|the boss|the agency|the agent|my boss|the manager)\\b`,
    ),
  },

  {
    id: 'forced_work',
    tier: 'high',
    re: r(
      `\\b(?:bat|ep|buoc|cuong buc|bi bat|bi ep|bi buoc)(?: ${WHO})? (?:phai )?(?:lam|lua|di lua|chat|nhan tin lua|lam viec|lua dao|lua nguoi|tiep khach|ban dam|di khach|danh bac)\\b(?! (?:bai|bai tap|viec nha|bai kiem tra)\\b)|\\blam viec khong (?:luong|cong)\\b|\\bcuong buc lao dong\\b`,
    ),
  },
  {
    id: 'forced_work',
    tier: 'high',
    re: r(
      `\\bforced to (?:work|scam|chat|lie|cheat|sell|do|call)\\b|\\bforc(?:e|es|ed|ing) (?:${EN_OBJ}|people|everyone|workers) to\\b|\\b(?:make|makes|made|making) (?:${EN_OBJ}) (?:scam|cheat|lie to)\\b|\\bforced (?:labou?r|work)\\b|\\b(?:have to|has to|must|made to) (?:scam|cheat|defraud|con)\\b|\\bwork(?:ing)? for free\\b`,
    ),
  },

  {
    id: 'deceived',
    tier: 'high',
    re: r(
      `\\bbi (?:[a-z]+ ){0,2}(?:lua|du|du do|lua gat|dua) (?:sang|qua|di|ra nuoc ngoai|vao|ban)\\b|\\b(?:taken|brought|smuggled|moved) (?:across|over) the border\\b|\\b(?:took|take|takes|brought|sent) (?:${EN_OBJ}) (?:to|into) (?:cambodia|myanmar|laos|china|thailand|malaysia|another country)\\b|\\b(?:was|were|been|got) (?:taken|brought|smuggled) (?:to|into) (?:cambodia|myanmar|laos|china|thailand|malaysia|another country)\\b|\\b(?:tricked|lured|deceived|trafficked)\\b(?: (?:into|to|here|across))?`,
    ),
  },

  {
    id: 'deceived',
    tier: 'concern',
    re: r(
      `\\b(?:not|nothing like|different from) what (?:they|he|she|the agency|the recruiter|was) (?:promised|said)\\b|\\b(?:khac|khong giong|khong nhu) (?:voi |nhu )?(?:loi )?hua\\b|\\b(?:the )?(?:recruiter|agency|agent|broker|company|boss) lied\\b|\\b(?:was|were|been|got) lied to\\b`,
    ),
  },
  {
    id: 'contact_cut',
    tier: 'high',
    re: r(
      `\\bkhong (?:cho|duoc) (?:phep )?(?:${WHO} )?(?:dung dien thoai|lien lac|goi ve|goi dien|nhan tin|gap)\\b|\\b(?:cat|chan) (?:het )?lien lac\\b|\\bnot (?:been )?allowed to (?:call|contact|talk|message|use (?:the |a |my )?phone)\\b`,
    ),
  },
  {
    id: 'contact_cut',
    tier: 'concern',
    re: r(
      `\\b(?:bi|${AGENT}) (?:thu|lay|giu|tich thu|cam) (?:het |mat )?(?:dien thoai|dien thoai di dong)\\b|\\bmat lien lac\\b|\\bkhong (?:duoc|cho) noi chuyen voi (?:nguoi ngoai|ai|nguoi khac|nguoi la)\\b|\\bchi (?:nhan|goi) (?:duoc )?(?:vai|it|mot|1|2) (?:tin|cau|phut|lan)\\b|\\bkhong (?:ai )?(?:duoc )?(?:giu|dung|cam) dien thoai\\b|\\b(?:goi|goi dien|lien lac|nhan tin) (?:cho (?:${WHO}) )?(?:khong|chua) (?:duoc|nghe|tra loi)\\b|\\bbat lien lac\\b|\\bkhong (?:lien lac duoc|goi duoc|nghe may|lien lac voi (?:${WHO}) duoc)\\b|\\b(?:chi|moi) (?:duoc|cho) (?:dung|cam|goi) (?:dien thoai|ve nha|ve)\\b|\\b(?:can t|can not|cannot|not free to) (?:talk|speak) freely\\b|\\b(?:take|took|takes|keep|keeps|kept|confiscate|confiscated|hold|holds|collect|collects|collected) (?:away )?(?:${EN_POSS}|the|all|all our|everyone s|everybody s) (?:phone|phones|mobile)s?\\b|\\b(?:can t|cannot|can not|couldn t) (?:reach|contact|call) (?:${EN_OBJ}|anyone|my|our|his|her)\\b|\\b(?:haven t|have not|hasn t|has not|not) heard from (?:him|her|them|${RELATIVE_EN})\\b|\\blost (?:contact|touch) with\\b|\\bstopped (?:answering|replying|responding|calling)\\b|\\bonly (?:gets|get|has|have|got) (?:${EN_POSS}) phone\\b|\\bchi cho dung (?:may|dien thoai) (?:cong ty|chung)\\b|\\b(?:khong|chua) (?:tra loi|nghe may|nhan tin lai|goi lai) (?:tin nhan |dien thoai )?(?:tu|may|mot|hai|ba|\\d)|\\bphones? (?:is |are |was |were |get |gets )?(?:taken|confiscated)\\b(?! by (?:the |my |a )?(?:teacher|mom|mum|dad|parents|school|principal)\\b)`,
    ),
  },

  {
    id: 'moved_between_companies',
    tier: 'concern',
    re: r(
      `\\bbi (?:chuyen|ban|dua|dem|dieu) (?:sang|qua|toi|den|di) (?:cong ty|khu|cho|noi|toa) (?:khac|moi)|\\b(?:chuyen|ban|dua) (?:qua|sang) (?:\\d+|hai|ba|bon|nhieu) (?:cong ty|khu|cho)\\b|\\bbi (?:chuyen|dieu|doi) (?:sang |qua )?(?:cong ty|khu|cho|toa)\\b|\\b(?:moving|move) (?:${EN_OBJ}) to (?:a new|another|a different) (?:place|company|compound|building)\\b|\\b(?:moved|transferred|took|taken) (?:everyone|all of us|us all|everybody) to\\b|\\b(?:${AGENT}) (?:lai )?(?:chuyen|ban|dua|dem|dieu) (?:${WHO}) (?:sang|qua|toi|den|di) (?:cong ty|khu|cho|noi|toa)|\\blai (?:bi )?(?:chuyen|ban) (?:${WHO} )?(?:sang|qua) (?:cong ty|khu|cho)|\\b(?:moved|transferred|shifted) (?:${EN_OBJ}|${RELATIVE_EN}) again\\b|\\b(?:third|fourth|another|new) company this (?:year|month)\\b|\\b(?:(?:moved|transferred|sold|sent|taken|shifted) (?:${EN_OBJ}|${RELATIVE_EN})|${EN_BE} (?:moved|transferred|sold|sent|taken|shifted)) (?:again )?to (?:another|a different|a new|other) (?:company|compound|building|boss|place|site|camp)\\b`,
    ),
  },
  {
    id: 'debt_bondage',
    tier: 'concern',
    re: r(
      `\\bno (?:cong ty|ho|chu|${MONEY})\\b|\\btra no (?:cong ty|cho cong ty|cho chu|tien ve|tien an)\\b|\\b(?:lam|o day|o lai|o them) .{0,30}\\b(?:moi )?tra (?:het )?no\\b|\\bphai tra (?:tien )?(?:ve may bay|ve|an o|chi phi|tien an)\\b|\\bcharge (?:${EN_OBJ}) for everything\\b|\\bnever (?:has|have) any money left\\b|\\b(?:owe|owes|owed) (?:them|the company|the boss|the recruiter|the agency|the agent|the broker|\\d|money)\\b|\\b(?:in debt to|debt to (?:them|the company|the boss)|debt bondage|(?:my|our|his|her|their) debt)\\b|\\bwork off\\b`,
    ),
  },
  {
    id: 'debt_bondage',
    tier: 'high',
    re: r(
      `\\bphai lam (?:de |cho )?tra (?:het )?no\\b|\\b(?:bi ep|bat|ep) (?:${WHO} )?ky (?:giay no|hop dong no|giay vay)\\b|\\btra (?:het )?no (?:moi|thi moi) (?:duoc|cho) (?:di|ve|nghi)\\b|\\b(?:work|working) (?:off|to pay off) (?:the|my|our|his|her) debt\\b|\\bwork until (?:${EN_POSS}|the) debt\\b`,
    ),
  },
  {
    id: 'wages_withheld',
    tier: 'concern',
    re: r(
      `\\bkhong (?:duoc )?tra (?:luong|dong nao|dong luong nao|xu nao|tien luong)\\b|\\b(?:chua|khong) (?:duoc )?(?:nhan|tra|lanh) (?:duoc )?(?:dong )?(?:luong|dong luong nao|dong nao|xu nao)\\b|\\b(?:giu|tru|quyt) (?:het )?luong\\b|\\bluong (?:bi |da bi )?(?:giu|tru|quyt) (?:lai )?(?:het|het roi|mat)\\b|\\bluong (?:thi |cung )?bi (?:tru|giu|quyt|cat)\\b|\\bluong\\b.{0,25}\\b(?:vi bi phat|bi phat het|bi tru het)\\b|\\bkhong co luong\\b|\\bkhong (?:duoc )?(?:giu|cam) (?:tien )?luong\\b|\\b(?:not|never|haven t been|weren t|wasn t|hasn t been|not been|never been) paid\\b|\\b(?:keep|keeps|kept|holding|hold|holds) ${EN_POSS} (?:salary|wages|pay)\\b|\\bwithh?old(?:ing|s)? ${EN_POSS} (?:pay|wages|salary)\\b|\\bno (?:pay|salary|wages)\\b`,
    ),
  },
  {
    id: 'excessive_hours',
    tier: 'concern',
    re: r(
      `\\blam (?:viec )?(?:suot |lien |tu |ca |moi ngay |ngay )?(?:\\d{1,2} )?(?:1[2-9]|2[0-4]) ?(?:tieng|gio|h)\\b|\\btu \\d{1,2} ?h (?:sang )?(?:den|toi) (?:\\d{1,2} ?h )?(?:dem|khuya|sang hom sau|nua dem)\\b|\\b(?:from )?\\d{1,2} ?am (?:to|until|till) (?:midnight|\\d{1,2} ?am)\\b|\\b(?:1[2-9]|2[0-4]) ?(?:tieng|gio|h) (?:moi|mot|1) ngay\\b|\\bkhong co ngay nghi\\b|\\bkhong (?:cho|duoc) (?:${WHO} )?nghi\\b(?! (?:viec|hoc|phep|tet|le)\\b)|\\b(?:1[2-9]|2[0-4]) ?(?:hours|hrs|h) (?:a|per|every|each) day\\b|\\bwork(?:ing)? (?:1[2-9]|2[0-4]) hours\\b|\\bno days? off\\b|\\blam (?:viec )?(?:ca |suot |xuyen )dem\\b|\\bsang moi duoc ngu\\b|\\bwithout (?:rest|a day off|a break|days off)\\b|\\bnever (?:give|gives|let|lets) (?:${EN_OBJ}) (?:a day off|rest)\\b`,
    ),
  },
  {
    id: 'prison_like',
    tier: 'concern',
    re: r(
      `\\b(?:nhu|khac gi|chang khac gi|khong khac gi) (?:o |trong |cai )?(?:nha tu|trai giam|nha giam|tu nhan|bi giam|o tu|dia nguc)\\b|\\blike (?:a |being in |being in a )?(?:prison|jail|prisoners?|hell)\\b|\\bprison here\\b`,
    ),
  },
  {
    id: 'monitored',
    tier: 'concern',
    re: r(
      `\\bbi (?:${AGENT} |tui no |bon no )?(?:theo doi|giam sat|kiem tra dien thoai|doc tin nhan|canh|canh gac|canh chung)\\b|\\bco (?:bao ve|nguoi|bon) (?:canh|gac|trong)\\b|\\b(?:bao ve|linh) (?:cam sung|co sung)\\b|\\bhang rao (?:dien|thep gai|cao)\\b|\\b(?:armed guards|barbed wire|guards everywhere)\\b|\\b(?:check|checks|read|reads) (?:${EN_POSS}|all) (?:phones|messages)\\b|\\bwatched all the time\\b|\\b(?:they|guards) (?:have|carry) (?:guns|weapons|rifles)\\b|\\b(?:without|with) someone (?:always )?listening\\b|\\bsomeone (?:is )?always listening\\b|\\b(?:being|always) watched\\b|\\b(?:dung canh|ngoi canh) (?:nghe|xem)\\b|\\bnghe len\\b|\\bco nguoi (?:di theo|theo doi|di kem|kem)\\b|\\bwhen the (?:manager|boss|guard|supervisor) is (?:next to|with|beside|there)\\b|\\bbi (?:ai|nguoi ta|ho) bat (?:nhan|noi|goi|viet)\\b|\\b(?:afraid|scared) to (?:tell|talk|speak|say)\\b|\\bkhong dam (?:noi|ke|ke gi)\\b|\\b(?:co ai|nguoi ta|ho|bon no) (?:doc|xem|kiem tra) (?:het )?tin nhan\\b|\\bso (?:ai|nguoi ta|bi|ho) nghe\\b|\\bwith (?:a |the )?(?:supervisor|guard|boss|manager) (?:watching|listening|present|next to)\\b|\\bonly let (?:${EN_OBJ}) (?:call|message|talk|text)\\b|\\blisten(?:s|ing)? to (?:our|my|his|her|all) calls\\b|\\bmonitored\\b`,
    ),
  },
  {
    id: 'monitored',
    tier: 'concern',
    re: r(`\\b(?:armed guards|guards with (?:guns|weapons|rifles)|bao ve (?:cam|co|deo) sung)\\b`),
  },
  {
    id: 'missing',
    tier: 'high',
    re: r(
      `\\bmat tich\\b|\\b(?:is|has gone|went|gone|been|was|are) missing\\b|\\b(?:disappeared|vanished)\\b(?! from (?:the )?(?:screen|list|app|page)\\b)|\\bbien mat (?:roi|tu|da|khong)\\b`,
    ),
  },
  // UNODC: a trafficked person may not know their home or work address.
  {
    id: 'location_unknown',
    tier: 'concern',
    re: r(
      `\\bkhong biet (?:${ME} |minh )?(?:dang )?o (?:dau|cho nao|noi nao)\\b|\\b(?:don t|do not|doesn t|does not) know where (?:i|we|he|she|they) (?:am|are|is|m|re)\\b|\\bkhong biet dia chi\\b|\\b(?:can t|can not) tell (?:us|me|anyone) (?:the|her|his|their|my|our) address\\b|\\bkhong (?:noi|cho biet) duoc dia chi\\b`,
    ),
  },
  // ILO indicator 10: abusive working and living conditions.
  {
    id: 'abusive_conditions',
    tier: 'concern',
    re: r(
      `\\b\\d{2} (?:nguoi|nguoi ngu) (?:mot|1|chung mot|chung 1) phong\\b|\\b\\d{2} people (?:in |sleep in |share )?(?:one|a|1) room\\b|\\bcontrols? when (?:she|he|i|we|they) (?:can )?(?:eat|sleep)\\b|\\b(?:khong cho|chi cho) (?:${WHO} )?(?:an|ngu) (?:khi|luc|mot)\\b`,
    ),
  },
  // Blind round 10 (phrasings the rules had not seen). Each pattern needs the context that makes
  // it about a person held or exploited: money owed before leaving, work hours, someone told not
  // to go to the police. The everyday shapes they resemble are guards in false-alarm-guards.jsonl.
  {
    id: 'cannot_leave',
    tier: 'high',
    re: r(
      `\\b(?:pay|pay back|repay) (?:back )?(?:them |the company |the agency |the boss )?(?:\\$ ?)?\\d[\\d,.]*\\b.{0,40}\\bbefore (?:she|he|i|we|they) (?:can|could|is allowed to|are allowed to) (?:leave|go home|quit|come home)\\b|\\b(?:nobody|no one) (?:goes|can go|is allowed to go|may go|gets to go) (?:out|outside) alone\\b|\\b(?:nobody|no one) (?:here|there) (?:is allowed|may|can) (?:to )?(?:go )?(?:out|outside|leave)\\b`,
    ),
  },
  {
    id: 'monitored',
    tier: 'concern',
    re: r(
      `\\b(?:gate|gates|door|doors|exit|exits) (?:is|are) (?:always |all |constantly )?(?:guarded|watched)\\b`,
    ),
  },
  {
    id: 'deceived',
    tier: 'high',
    re: r(
      `\\b(?:dua|dan|cho|cheo|dat) (?:[a-z]+ ){0,2}(?:qua|vuot) (?:song|suoi|rung|nui|bien gioi|duong mon)\\b.{0,20}\\b(?:ban dem|buoi dem|nua dem|luc dem|trong dem|dem)\\b|\\bbi ep (?:len mang|lam quen|nhan tin|chat|goi dien) (?:[a-z]+ ){0,6}(?:lua|lua dao|lua tien)\\b`,
    ),
  },
  {
    id: 'deceived',
    tier: 'concern',
    re: r(
      `\\bkhong phai (?:la )?(?:lam )?(?:[a-z]+ ){1,4}nhu (?:ho|cong ty|nguoi ta|ben do|moi gioi) (?:noi|hua|quang cao)\\b`,
    ),
  },
  {
    id: 'forced_work',
    tier: 'high',
    re: r(`\\bbi ep (?:len mang|lam quen|nhan tin|chat|goi dien)\\b`),
  },
  {
    id: 'threat',
    tier: 'high',
    re: r(
      `\\b(?:bao|dan|doa|noi|dan do|nhac) (?:la )?(?:${ME} |gia dinh |nha )?(?:dung|khong duoc|cam) (?:bao|trinh bao|goi|bao cho) (?:cong an|canh sat|police)\\b|\\b(?:said|told (?:me|us|him|her|them)|warned (?:me|us|him|her|them)|threatened) (?:not to|never to|don t|to not) (?:call|tell|contact|go to) the police\\b`,
    ),
  },
  {
    id: 'help_request',
    tier: 'high',
    re: r(
      `\\bhow (?:do|can|could) (?:we|i) (?:get|bring) (?:him|her|them|${RELATIVE_EN}) out\\b(?! of (?!(?:there|that place|the compound|that compound|cambodia|myanmar|laos|the building)\\b))|\\blam (?:sao|the nao|cach nao) (?:de )?(?:cuu|keo|giai cuu) (?:no|chau|con|em|${RELATIVE_VI}) (?:ve|ra)\\b`,
    ),
  },
  {
    id: 'wages_withheld',
    tier: 'concern',
    re: r(
      `\\b(?:take|takes|took|keep|keeps|kept) (?:half|all|most|part) (?:of )?(?:our|my|his|her|their) (?:pay|salary|wages)\\b|\\b(?:tru|giu) het luong\\b|\\bluong (?:thi )?cu hen (?:mai|hoai|lan lua)\\b|\\bluong (?:thi )?cu hen$|\\bluong .{0,10}\\bhen (?:hoai|lan lua)\\b`,
    ),
  },
  {
    id: 'excessive_hours',
    tier: 'concern',
    re: r(
      `\\bwork(?:s|ed|ing)? (?:[a-z]+ ){0,3}from (?:noon|midday|\\d{1,2} ?am) (?:to|until|till) (?:[1-6] ?am|midnight|dawn)\\b`,
    ),
  },
  {
    id: 'debt_bondage',
    tier: 'concern',
    re: r(
      `\\bno tien (?:ve|ve may bay|an o|an|visa|moi gioi)\\b|\\bno (?:ve may bay|phi moi gioi)\\b|\\bdebt (?:is|keeps) (?:growing|getting bigger|increasing|going up)\\b|\\b(?:cong|tinh) them no\\b`,
    ),
  },
  {
    id: 'location_unknown',
    tier: 'concern',
    re: r(
      `\\bkhong biet (?:${ME} |minh )?(?:dang )?o (?:nuoc|tinh|thanh pho) nao\\b|\\b(?:won t|will not|doesn t|does not|wouldn t) (?:tell|give) (?:me|us|anyone) (?:the|her|his|their|an) address\\b(?! (?:of|for|to)\\b)`,
    ),
  },
  {
    id: 'fear',
    tier: 'weak',
    re: r(`\\bso (?:lam|qua|chet|hai)\\b|\\bhoang so\\b|\\b(?:scared|afraid|terrified|frightened)\\b`),
  },
];

const ABROAD = r(
  `\\b(?:campuchia|cambodia|phnom penh|phnompenh|sihanoukville|sihanouk|xihanuc|bavet|kampot|koh kong|poipet|myanmar|mien dien|myawaddy|kk park|thai lan|thailand|mae sot|laos|trung quoc|china|philippines|malaysia|dubai|abroad|overseas|nuoc ngoai|bien gioi|qua bien gioi|tam giac vang|golden triangle|moc bai|casino|song bac|xuat khau lao dong|nhat ban|han quoc|dai loan|a rap|saudi|arap)\\b|\\b(?:o|sang|qua|ben|tai|nuoc|ve) (?:lao|cam|mien|thai|nhat|han)\\b(?! (?:dong|nguyen|quoc gia)\\b)`,
);
const MINOR_WORDS = r(
  `\\b(?:hoc sinh|dang hoc lop|lop (?:[1-9]|1[0-2])\\b|chua du 18|duoi 18|vi thanh nien|tre em|be gai|be trai|con be|thang be|under 18|not yet 18|a minor|is a minor|high school|schoolgirl|schoolboy|teenager|middle school)`,
);
const AGE =
  /\b(\d{1,2}) ?(?:tuoi|years? old|yrs? old|yo|y o|year old)\b|\b(?:son|daughter|kid|child|sister|brother|boy|girl|niece|nephew) (?:is |was |turned |just turned |aged )?(\d{1,2})\b(?! (?:minutes|hours|days|weeks|months|usd|dollars|am|pm)\b)/g;
const RELATIVE = r(`\\b${RELATIVE_VI}\\b|\\b${RELATIVE_EN}\\b`);
const RANSOM_DEADLINE = r(
  `\\b(?:truoc|trong vong|trong|han|han chot|het han|den|cham nhat) ?(?:\\d+ ?(?:h|gio|tieng|ngay|am|pm)|ngay mai|toi nay|sang mai|chieu nay|dem nay|thu (?:\\d|hai|ba|tu|nam|sau|bay)|chu nhat|cuoi tuan|tuan nay|mai)\\b|\\bneu (?:khong|ko) (?:tra|nop|gui|chuyen|dong)\\b|\\b(?:by|before|within|until) (?:tomorrow|tonight|friday|monday|tuesday|wednesday|thursday|saturday|sunday|the end of|\\d+ ?(?:am|pm|hours|days|h))\\b|\\bdeadline\\b|\\bor else\\b|\\botherwise they\\b`,
);
// Warnings, news and campaign texts: they describe trafficking without anyone asking for help.
const NEWS_LIKE = r(
  `^(?:tb|qc|thong bao|tin tuc)\\b|\\b(?:tin tuc|(?:da )?duoc giai cuu)\\b|\\b(?:canh giac|nha mang|dau hieu nhan biet|luu y|moi nguoi can than)\\b|\\b(?:doc tin|doc bao|xem tin|bai bao|bao chi|nhieu (?:lao dong|nguoi|nan nhan|thanh nien)|theo (?:bao|thong tin|cong an|nguon|bo)|canh bao|khuyen cao|bo cong an|bo ngoai giao|cong an (?:tinh|tp|thanh pho|huyen|quan|xa)|phong vien|nan nhan|doi tuong|duong day|giai cuu (?:thanh cong|duoc|\\d+)|tiep nhan|bao ho cong dan|thu doan|nguoi dan|tuyet doi khong|de nghi|tin nhan nay|goi 156|tong dai|chia se|lan truyen|vnexpress|tuoi tre|dan tri|police said|according to|reported|report says|news|warning|warns|authorities|victims|rescued \\d+|beware|scam alert|interpol|unodc|ohchr|amnesty|press release)\\b`,
);
// Someone speaking for themselves or a relative: news guards never apply to them.
const PERSONAL = r(
  `\\b(?:cuu (?:toi|em|minh|con|chung toi)|cuu$|cuu voi|o day|ben nay|here|(?:toi|em|minh|tui|chung toi|chung em) (?:dang|bi|o|khong|da|muon|can|lai)|${RELATIVE_VI}|i m|i am|i can t|help me|help us|we are|we re|${RELATIVE_EN}|mom|dad|me oi|bo oi|anh oi|chi oi)\\b`,
);
// A passport held for a day for a visa and handed back is paperwork, not retention.
const PASSPORT_RETURNED = r(
  `(?<!\\b(?:would|will|ll|could|can|only|never|not|until (?:i|we)) )\\b(?:get|got|gets|give|gave|gives|hand|handed) (?:them|it|our passports?|my passport|the passports?) back\\b(?! (?:after|when|once|only|at the end|in \\d))|\\btra lai (?:ngay|trong ngay|lien)\\b`,
);
// Homework, games and "please look at this offer": "cứu" and "help" are figures of speech here.
const FIGURATIVE_HELP = r(
  `\\b(?:lesson|quiz|bai hoc|forgot|mai thi|sap thi|di thi|on thi|thi cu|chua hoc|tre (?:xe|hoc|gio|chuyen|hen)|xe buyt|het pin|het tien|quen (?:mang|lam|hoc)|muon hoc|luan van|do an|tieu luan|bao cao|nop bai|thesis|essay|assignment|bai tap|bai toan|bai van|toan nay|cau hoi|bai nay|cau nay|de nay|de bai|mon (?:toan|van|ly|hoa|anh)|homework|exercise|xem (?:giup |ho )?(?:tin|bai|cai|loi moi|link|viec)|check|kiem tra|dich giup|translate|level|man nay|game|rank|deadline bai|bai kiem tra|lam bai|bai thi)\\b`,
);
const GAME = r(
  `\\b(?:movie|film|phim|truyen|tieu thuyet|novel|series|game|level|man choi|nhan vat|boss cuoi|danh boss|rank|lien quan|free fire|pubg|minecraft|roblox|skin|ingame|escape room|phong thoat hiem)\\b`,
);
// An offer someone forwards to be checked: job words with no-one in trouble.
const OFFER_LIKE = r(
  `\\b(?:tuyen|tuyen dung|luong|bao an o|viec nhe|thu nhap|ung truoc|hiring|salary|per month|job offer|apply)\\b`,
);

/**
 * A safety net under the phrase rules: distress words that rarely meet in ordinary messages,
 * wherever they stand. Enough of them together (with a person or a place abroad in view) raise
 * `concern`, never more: the phrase rules alone decide `high` and `imminent`.
 */
const LEXICON: [RegExp, number][] = [
  [/\b(?:cau cuu|keu cuu|bat coc|tra tan|tien chuoc|chuoc|giam long|bi ep|bi doa)\b/g, 2],
  [/\b(?:kidnapp?ed|ransom|beaten|tortured?|hostage|captive|trafficked|traffickers?|imprisoned)\b/g, 2],
  [
    /\b(?:giet|canh gac|bao ve|tron|thoat|no tien|giay no|ho chieu|giay to|can cuoc|chi tieu|doanh so|so lam|so qua|khoc|bi bat|bi giu|bi phat)\b/g,
    1,
  ],
  [
    /\b(?:kill|hit|hurt|guards?|debt|owe|owes|passport|documents|quota|punish\w*|threat\w*|forced?|scared|afraid|crying|lied|tricked|sticks?|guns?|escape|trapped)\b/g,
    1,
  ],
  [/\b(?:khu|cong ty|casino|compound|toa nha|building|scam)\b/g, 0.5],
];
const LEXICON_THRESHOLD = 3;

function lexiconScore(folded: string, abroad: boolean, personal: boolean): number {
  let score = (abroad ? 1 : 0) + (personal ? 0.5 : 0);
  for (const [re, weight] of LEXICON) score += (folded.match(re)?.length ?? 0) * weight;
  return score;
}

function minorFrom(folded: string): boolean {
  if (MINOR_WORDS.test(folded)) return true;
  for (const m of folded.matchAll(AGE)) {
    const age = Number(m[1] ?? m[2]);
    if (age >= 5 && age < 18) return true;
  }
  return false;
}

function raise(level: DistressLevel, to: DistressLevel): DistressLevel {
  return RANK[to] > RANK[level] ? to : level;
}

function cap(level: DistressLevel, at: DistressLevel): DistressLevel {
  return RANK[level] > RANK[at] ? at : level;
}

/**
 * Detects signs that the writer, or someone they speak for, is trafficked, held or in danger.
 * Pure and deterministic. `context.forwarded` marks text the user forwarded (an offer, a news
 * item): third-person, news-like text inside it does not raise an alarm on its own.
 */
export function detectDistress(text: string, context: DistressContext = {}): DistressResult {
  const folded = foldText(text);
  const abroad = ABROAD.test(folded);
  const minor = minorFrom(folded);
  const thirdPerson = RELATIVE.test(folded);
  const none: DistressResult = { level: 'none', signals: [], minor, abroad, thirdPerson };
  if (folded.length === 0) return none;

  const tiers = new Map<SignalId, Tier>();
  const tierRank: Record<Tier, number> = { weak: 0, concern: 1, high: 2, imminent: 3 };
  for (const rule of RULES) {
    if (!rule.re.test(folded)) continue;
    const had = tiers.get(rule.id);
    if (had === undefined || tierRank[rule.tier] > tierRank[had]) tiers.set(rule.id, rule.tier);
  }
  if (tiers.get('ransom') !== undefined && RANSOM_DEADLINE.test(folded))
    tiers.set('ransom_deadline', 'imminent');

  if (tiers.has('passport_taken') && PASSPORT_RETURNED.test(folded)) tiers.delete('passport_taken');
  const strongOthers = [...tiers.entries()].filter(([id, t]) => id !== 'help_request' && t !== 'weak');
  if (tiers.has('help_request') && strongOthers.length === 0 && FIGURATIVE_HELP.test(folded)) {
    tiers.delete('help_request');
  }

  let level: DistressLevel = 'none';
  let concerns = 0;
  let weak = 0;
  for (const tier of tiers.values()) {
    if (tier === 'weak') weak++;
    else {
      if (tier === 'concern') concerns++;
      level = raise(level, tier);
    }
  }
  if (level === 'none' && weak > 0 && (abroad || (thirdPerson && weak > 1))) level = 'concern';
  if (
    level === 'none' &&
    lexiconScore(folded, abroad, thirdPerson || PERSONAL.test(folded)) >= LEXICON_THRESHOLD
  ) {
    tiers.set('distress_words', 'concern');
    level = 'concern';
  }
  // ILO: several indicators together point to forced labour, even when each alone is unclear.
  if (concerns >= 3 || (concerns >= 2 && abroad)) level = raise(level, 'high');
  // Kept in and guarded: restriction of movement backed by guards is confinement now.
  if (tiers.has('cannot_leave') && tiers.has('monitored')) level = raise(level, 'imminent');
  // Asking for rescue while guarded: treat as held right now.
  if (tiers.has('help_request') && tiers.has('monitored')) {
    level = raise(level, 'imminent');
  }
  // A minor in any danger abroad, or in clear danger anywhere, is an emergency.
  if (minor && level !== 'none') level = raise(level, level === 'concern' && !abroad ? 'high' : 'imminent');

  const personal = PERSONAL.test(folded);
  if (!personal) {
    if (NEWS_LIKE.test(folded)) level = context.forwarded ? 'none' : cap(level, 'concern');
    // A forwarded offer that promises to "keep your passport" is for the offer checker, not an alarm.
    else if (context.forwarded && OFFER_LIKE.test(folded)) level = 'none';
  }
  // A character locked in a dungeon is not a person held in a compound.
  if (GAME.test(folded) && !abroad) level = 'none';

  if (level === 'none') return none;
  const signals = SIGNAL_IDS.filter((id) => id !== 'minor' && tiers.has(id)) as string[];
  if (minor) signals.push('minor');
  return { level, signals, minor, abroad, thirdPerson };
}
