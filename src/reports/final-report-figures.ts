import { KurRegion } from '../areas/area.enums';

/**
 * Figures the final report to the government states (seeds/004, Slutrapport KUR-projektet,
 * S2013/7759/FS), with where they stand. The report has no page numbers in the copy we hold,
 * so each source names its section and quotes the sentence.
 */
const REPORT = 'Slutrapport KUR (S2013/7759/FS)';

const figure = (value: number, where: string) => ({ value, source: `${REPORT}, ${where}` });

const KUR2_AREAS =
  'avsnittet om KUR 2: "34 av 45 områden har beviljats pengar … sju i Nord, sex i Syd, fem i Väst, åtta i Mitt, och åtta i Stockholm"';
const KUR2_KINDS =
  'avsnittet om KUR 2: "11 områden som har genomfört en kunskapssatsning, fem områden som har gjort en plan för samarbete och 18 områden som genomfört båda aktiviteterna" (mätt efter genomförandet)';
const USER_MOVEMENT =
  'avsnittet om brukarinflytande: "Av 34 ansökningar är det 16 områden som haft med brukarrörelsen i planeringen och 18 som inte haft det"';
const FINSAM = 'fotnot 14: "Enligt uppgifter på finsam.se är 241 av 290 kommuner medlemmar i ett förbund" (2015)';

export const KUR2_REPORTED = {
  areas: figure(34, KUR2_AREAS),
  areasByRegion: {
    [KurRegion.NORD]: figure(7, KUR2_AREAS),
    [KurRegion.SYD]: figure(6, KUR2_AREAS),
    [KurRegion.VAST]: figure(5, KUR2_AREAS),
    [KurRegion.MITT]: figure(8, KUR2_AREAS),
    [KurRegion.STOCKHOLM]: figure(8, KUR2_AREAS),
  } as Record<KurRegion, { value: number; source: string }>,
  knowledgeOnly: figure(11, KUR2_KINDS),
  planOnly: figure(5, KUR2_KINDS),
  both: figure(18, KUR2_KINDS),
  userMovementInPlanning: figure(16, USER_MOVEMENT),
  userMovementNotInPlanning: figure(18, USER_MOVEMENT),
  municipalitiesInAssociation: figure(241, FINSAM),
  municipalitiesOutsideAssociation: figure(49, `${FINSAM}; 290 − 241`),
  municipalities: figure(290, FINSAM),
};
