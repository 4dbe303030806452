/** A jailbreak-style prompt the team wrote, with the family whose structure it follows. */
export interface JailbreakText {
  family:
    | 'no_limits_persona'
    | 'developer_mode'
    | 'two_answers'
    | 'stay_in_character'
    | 'evil_confidant'
    | 'fiction_anything'
    | 'hypothetical_reversal'
    | 'never_warn';
  text: string;
}
