/** Words for numbers in what people read, in every stage: "1 client", "2 clients", "1,200 rows". */

/** `n` in en-US digits and the word for one or many of it */
export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
