// Writes a residents file for bench/imports.sh: N people of the demo county's grid cells in
// households of 1 to 6 (a household key each), with valid, distinct ID numbers, phones for
// most, an address, the relation to the head, a few disabilities. Deterministic.
// usage: node bench/residents_csv.mjs N CELLS_FILE OUT
import { readFileSync, createWriteStream } from 'node:fs';

const [n, cellsFile, out] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
const cells = readFileSync(cellsFile, 'utf8').split('\n').filter(Boolean);
const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function idNumber(birth, seq) {
  const body = '511524' + birth + String(seq).padStart(3, '0');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (body.charCodeAt(i) - 48) * W[i];
  return body + '10X98765432'[sum % 11];
}
let seed = 12345;
const rand = (k) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % k; };
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红梅文';
const RELATION = ['户主', '配偶', '子女', '子女', '父母', '孙子女'];
const w = createWriteStream(out);
w.write('姓名,身份证号,行政区划代码,联系电话,住址,户编号,与户主关系,残疾\n');
// A birth day and a sequence number per person: every ID number differs.
let person = 0, household = 0, lines = [];
while (person < n) {
  const size = 1 + rand(6), cell = cells[household % cells.length];
  for (let m = 0; m < size && person < n; m++, person++) {
    const year = 1935 + (person % 88), day = new Date(Date.UTC(year, 0, 1 + Math.floor(person / 88) % 365));
    const birth = day.toISOString().slice(0, 10).replaceAll('-', '');
    const seq = Math.floor(person / (88 * 365)) * 2 + 1 + (m % 2);
    const name = SURNAMES[rand(SURNAMES.length)] + GIVEN[rand(GIVEN.length)] + (rand(2) ? GIVEN[rand(GIVEN.length)] : '');
    const phone = rand(10) < 8 ? '13' + String(100000000 + rand(899999999)) : '';
    lines.push(`${name},${idNumber(birth, seq)},${cell},${phone},${cell.slice(9)}组${household % 300}号,B${household},${RELATION[m]},${rand(50) ? '否' : '是'}`);
  }
  household++;
  if (lines.length > 10000) { w.write(lines.join('\n') + '\n'); lines = []; }
}
w.end(lines.join('\n') + '\n');
