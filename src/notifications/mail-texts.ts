/** The e-mails chiefs read, in Swedish. */
const dateSv = (date: string) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString('sv-SE', { day: 'numeric', month: 'long', year: 'numeric' });

const footer = (link: string | null) =>
  [
    '',
    link ? `Öppna i KUR Handover: ${link}` : 'Logga in i KUR Handover för att se den.',
    '',
    'Det här meddelandet skickades automatiskt av KUR Handover (Försäkringskassan).',
  ].join('\n');

export function followUpMail(
  event: 'due' | 'overdue',
  {
    associationName,
    areaName,
    dueOn,
    link,
  }: { associationName: string; areaName: string; dueOn: string; link: string | null },
): { subject: string; text: string } {
  const due = dateSv(dueOn);
  return event === 'due'
    ? {
        subject: `Uppföljning att rapportera: ${areaName}`,
        text: [
          `Hej,`,
          '',
          `${associationName} har en uppföljning av samverkansplanen från ${areaName} att rapportera, senast ${due}.`,
          'Rapportera läget för varje mål och varje åtgärd i planen.',
          footer(link),
        ].join('\n'),
      }
    : {
        subject: `Försenad uppföljning: ${areaName}`,
        text: [
          `Hej,`,
          '',
          `Uppföljningen av samverkansplanen från ${areaName} skulle ha rapporterats ${due} och är nu försenad.`,
          `Rapportera den så snart som möjligt, eller kontakta Försäkringskassan om ${associationName} behöver hjälp.`,
          footer(link),
        ].join('\n'),
      };
}

export function handoverMail({
  associationName,
  areaName,
  link,
}: {
  associationName: string;
  areaName: string;
  link: string | null;
}): { subject: string; text: string } {
  return {
    subject: `Ny överlämning från KUR: ${areaName}`,
    text: [
      'Hej,',
      '',
      `${associationName} har fått en överlämning av det avslutade KUR-arbetet i ${areaName}: aktiviteter, samverkansplaner och kommunernas PRIO-inventeringar.`,
      'Läs den och ta ställning till om förbundet tar emot den.',
      footer(link),
    ].join('\n'),
  };
}
