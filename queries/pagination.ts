/** Where the previous page ended: the sort time and the id that breaks ties. */
export interface KeysetCursor {
  at: string;
  id: string;
}

export interface PageRequest {
  limit: number;
  after?: KeysetCursor;
}

export interface KeysetPage<View> {
  items: View[];
  /** Where the next page starts; null on the last page. */
  next: KeysetCursor | null;
}

/**
 * Keyset pagination over (time, id), oldest or newest first: the filter for rows after the
 * cursor, the `take` that tells whether another page exists, and the page with where the next
 * one starts.
 */
export function keysetQuery<TimeField extends string, IdField extends string>(
  page: PageRequest,
  timeField: TimeField,
  idField: IdField,
  order: 'asc' | 'desc' = 'asc',
) {
  const { limit, after } = page;
  const beyond = order === 'asc' ? 'gt' : 'lt';
  return {
    where: after
      ? { OR: [{ [timeField]: { [beyond]: new Date(after.at) } }, { [timeField]: new Date(after.at), [idField]: { [beyond]: after.id } }] }
      : {},
    orderBy: [{ [timeField]: order }, { [idField]: order }],
    take: limit + 1,
    page<Row extends Record<TimeField, Date> & Record<IdField, string>, View>(rows: Row[], toView: (row: Row) => View): KeysetPage<View> {
      const shown = rows.slice(0, limit);
      const last = shown[shown.length - 1];
      return {
        items: shown.map(toView),
        next: rows.length > limit && last ? { at: last[timeField].toISOString(), id: last[idField] } : null,
      };
    },
  };
}
