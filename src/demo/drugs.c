/* drugs.c (demo) - see drugs.h. The catalogue is generated from a compact hand list of real
 * generic names (antihypertensives, antidiabetics, statins, antiplatelets, antibiotics, 中成药
 * ...) times their common dosage forms, strengths and packs, numbered YP00001.. in order;
 * about 60% sit on the primary-care list and 189 of those are the special drugs made
 * available down to the villages (as at Changning: 1,198 drugs, 189 to villages). */
#include "demo/drugs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demo/names.h"
#include "store/prescriptions.h"

#define CATALOGUE_SIZE 1198
#define VILLAGE_DRUGS 189
#define NEW_IN_VERSION_2 40   /* the last entries, added by version 2 */
#define VILLAGE_IN_VERSION_1 150

struct generic {
    const char *name, *pinyin, *english, *insurance;
    int essential;
    const char *forms, *strengths; /* comma-separated */
};

static const struct generic GENERICS[] = {
    {"硝苯地平", "xbdp", "Nifedipine", "A", 1, "片剂,缓释片,控释片", "5mg,10mg,20mg,30mg"},
    {"氨氯地平", "aldp", "Amlodipine", "A", 1, "片剂,胶囊", "2.5mg,5mg,10mg"},
    {"左旋氨氯地平", "zxaldp", "Levamlodipine", "B", 0, "片剂", "2.5mg,5mg"},
    {"非洛地平", "fldp", "Felodipine", "B", 0, "缓释片,片剂", "2.5mg,5mg,10mg"},
    {"尼群地平", "nqdp", "Nitrendipine", "A", 1, "片剂", "10mg,20mg"},
    {"卡托普利", "ktpl", "Captopril", "A", 1, "片剂", "12.5mg,25mg,50mg"},
    {"依那普利", "ynpl", "Enalapril", "A", 1, "片剂", "5mg,10mg,20mg"},
    {"贝那普利", "bnpl", "Benazepril", "B", 0, "片剂", "5mg,10mg,20mg"},
    {"培哚普利", "pdpl", "Perindopril", "B", 0, "片剂", "4mg,8mg"},
    {"福辛普利", "fxpl", "Fosinopril", "B", 0, "片剂", "10mg,20mg"},
    {"缬沙坦", "xst", "Valsartan", "A", 1, "胶囊,片剂", "40mg,80mg,160mg"},
    {"氯沙坦", "lst", "Losartan", "B", 1, "片剂", "25mg,50mg,100mg"},
    {"厄贝沙坦", "ebst", "Irbesartan", "A", 1, "片剂,胶囊", "75mg,150mg,300mg"},
    {"替米沙坦", "tmst", "Telmisartan", "B", 0, "片剂,胶囊", "20mg,40mg,80mg"},
    {"坎地沙坦", "kdst", "Candesartan", "B", 0, "片剂", "4mg,8mg"},
    {"奥美沙坦", "amst", "Olmesartan", "B", 0, "片剂", "10mg,20mg,40mg"},
    {"美托洛尔", "mtll", "Metoprolol", "A", 1, "片剂,缓释片", "25mg,47.5mg,50mg,100mg"},
    {"比索洛尔", "bsll", "Bisoprolol", "A", 1, "片剂,胶囊", "2.5mg,5mg"},
    {"阿替洛尔", "atll", "Atenolol", "A", 1, "片剂", "12.5mg,25mg,50mg"},
    {"普萘洛尔", "pnll", "Propranolol", "A", 1, "片剂", "10mg"},
    {"卡维地洛", "kwdl", "Carvedilol", "B", 0, "片剂,胶囊", "6.25mg,12.5mg,25mg"},
    {"氢氯噻嗪", "hlsq", "Hydrochlorothiazide", "A", 1, "片剂", "10mg,25mg"},
    {"吲达帕胺", "ydpa", "Indapamide", "A", 1, "片剂,缓释片", "1.5mg,2.5mg"},
    {"螺内酯", "lnz", "Spironolactone", "A", 1, "片剂,胶囊", "20mg"},
    {"呋塞米", "fsm", "Furosemide", "A", 1, "片剂,注射液", "20mg"},
    {"特拉唑嗪", "tlzq", "Terazosin", "B", 0, "片剂,胶囊", "1mg,2mg"},
    {"二甲双胍", "ejsg", "Metformin", "A", 1, "片剂,缓释片,肠溶片", "0.25g,0.5g,0.85g"},
    {"格列美脲", "glmn", "Glimepiride", "A", 1, "片剂", "1mg,2mg"},
    {"格列齐特", "glqt", "Gliclazide", "A", 1, "片剂,缓释片", "30mg,60mg,80mg"},
    {"格列吡嗪", "glbq", "Glipizide", "A", 1, "片剂,控释片", "5mg"},
    {"格列喹酮", "glkt", "Gliquidone", "B", 0, "片剂", "30mg"},
    {"阿卡波糖", "akbt", "Acarbose", "A", 1, "片剂,胶囊", "50mg,100mg"},
    {"伏格列波糖", "fglbt", "Voglibose", "B", 0, "片剂", "0.2mg"},
    {"瑞格列奈", "rgln", "Repaglinide", "B", 0, "片剂", "0.5mg,1mg,2mg"},
    {"吡格列酮", "bglt", "Pioglitazone", "B", 0, "片剂,胶囊", "15mg,30mg"},
    {"西格列汀", "xglt", "Sitagliptin", "B", 0, "片剂", "50mg,100mg"},
    {"利格列汀", "lglt", "Linagliptin", "B", 0, "片剂", "5mg"},
    {"达格列净", "dglj", "Dapagliflozin", "B", 0, "片剂", "5mg,10mg"},
    {"恩格列净", "eglj", "Empagliflozin", "B", 0, "片剂", "10mg,25mg"},
    {"胰岛素", "yds", "Insulin (human)", "A", 1, "注射液", "300IU/3ml,400IU/10ml"},
    {"精蛋白生物合成人胰岛素", "jdbswhcrydsu", "Isophane insulin", "A", 1, "注射液", "300IU/3ml,400IU/10ml"},
    {"甘精胰岛素", "gjyds", "Insulin glargine", "B", 0, "注射液", "300IU/3ml"},
    {"门冬胰岛素", "mdyds", "Insulin aspart", "B", 0, "注射液", "300IU/3ml"},
    {"阿托伐他汀", "atfgt", "Atorvastatin", "A", 1, "片剂,胶囊", "10mg,20mg,40mg"},
    {"辛伐他汀", "xfgt", "Simvastatin", "A", 1, "片剂", "10mg,20mg,40mg"},
    {"瑞舒伐他汀", "rsfgt", "Rosuvastatin", "B", 1, "片剂,胶囊", "5mg,10mg,20mg"},
    {"普伐他汀", "pfgt", "Pravastatin", "B", 0, "片剂", "10mg,20mg,40mg"},
    {"匹伐他汀", "pfgt", "Pitavastatin", "B", 0, "片剂", "1mg,2mg"},
    {"依折麦布", "yzmb", "Ezetimibe", "B", 0, "片剂", "10mg"},
    {"非诺贝特", "fnbt", "Fenofibrate", "B", 0, "胶囊,片剂", "0.1g,0.2g"},
    {"阿司匹林", "aspl", "Aspirin", "A", 1, "肠溶片,片剂", "25mg,50mg,100mg"},
    {"氯吡格雷", "lbgl", "Clopidogrel", "A", 1, "片剂", "25mg,75mg"},
    {"替格瑞洛", "tgrl", "Ticagrelor", "B", 0, "片剂", "60mg,90mg"},
    {"华法林", "hfl", "Warfarin", "A", 1, "片剂", "1mg,2.5mg,3mg"},
    {"利伐沙班", "lfsb", "Rivaroxaban", "B", 0, "片剂", "10mg,15mg,20mg"},
    {"达比加群酯", "dbjqz", "Dabigatran", "B", 0, "胶囊", "110mg,150mg"},
    {"硝酸甘油", "xsgy", "Nitroglycerin", "A", 1, "片剂,注射液", "0.5mg,5mg"},
    {"单硝酸异山梨酯", "dxsyslz", "Isosorbide mononitrate", "A", 1, "片剂,缓释片,缓释胶囊", "20mg,40mg,60mg"},
    {"曲美他嗪", "qmtq", "Trimetazidine", "B", 0, "片剂,缓释片", "20mg,35mg"},
    {"地高辛", "dgx", "Digoxin", "A", 1, "片剂,注射液", "0.25mg"},
    {"胺碘酮", "adt", "Amiodarone", "A", 1, "片剂,注射液", "0.2g,0.15g"},
    {"沙库巴曲缬沙坦", "skbqxst", "Sacubitril/valsartan", "B", 0, "片剂", "50mg,100mg,200mg"},
    {"阿莫西林", "amxl", "Amoxicillin", "A", 1, "胶囊,片剂,颗粒,干混悬剂", "0.125g,0.25g,0.5g"},
    {"阿莫西林克拉维酸钾", "amxlklwsj", "Amoxicillin and clavulanate", "B", 1, "片剂,颗粒,干混悬剂", "0.228g,0.375g,0.625g"},
    {"头孢氨苄", "tbab", "Cefalexin", "A", 1, "胶囊,片剂,颗粒", "0.125g,0.25g"},
    {"头孢拉定", "tbld", "Cefradine", "A", 1, "胶囊,颗粒,注射用粉针", "0.25g,0.5g,1g"},
    {"头孢呋辛", "tbfx", "Cefuroxime", "A", 1, "片剂,注射用粉针", "0.125g,0.25g,0.75g,1.5g"},
    {"头孢克肟", "tbkw", "Cefixime", "B", 0, "胶囊,片剂,颗粒", "50mg,100mg"},
    {"头孢曲松", "tbqs", "Ceftriaxone", "A", 1, "注射用粉针", "0.5g,1g,2g"},
    {"头孢唑林", "tbzl", "Cefazolin", "A", 1, "注射用粉针", "0.5g,1g"},
    {"阿奇霉素", "aqms", "Azithromycin", "A", 1, "片剂,胶囊,颗粒,注射用粉针", "0.1g,0.25g,0.5g"},
    {"克拉霉素", "klms", "Clarithromycin", "A", 1, "片剂,胶囊", "0.125g,0.25g"},
    {"红霉素", "hms", "Erythromycin", "A", 1, "肠溶片,软膏", "0.125g,0.25g,1%"},
    {"左氧氟沙星", "zyfsx", "Levofloxacin", "A", 1, "片剂,胶囊,注射液", "0.1g,0.2g,0.5g"},
    {"莫西沙星", "mxsx", "Moxifloxacin", "B", 0, "片剂,注射液", "0.4g"},
    {"环丙沙星", "hbsx", "Ciprofloxacin", "A", 1, "片剂,胶囊", "0.25g,0.5g"},
    {"甲硝唑", "jxz", "Metronidazole", "A", 1, "片剂,注射液,栓剂", "0.2g,0.5g"},
    {"替硝唑", "txz", "Tinidazole", "B", 0, "片剂", "0.5g"},
    {"复方磺胺甲噁唑", "ffhajez", "Co-trimoxazole", "A", 1, "片剂", "0.48g"},
    {"呋喃妥因", "fnty", "Nitrofurantoin", "A", 1, "肠溶片", "50mg"},
    {"青霉素", "qms", "Benzylpenicillin", "A", 1, "注射用粉针", "80万单位,160万单位"},
    {"氨苄西林", "abxl", "Ampicillin", "A", 1, "注射用粉针,胶囊", "0.25g,0.5g,1g"},
    {"庆大霉素", "qdms", "Gentamicin", "A", 1, "注射液", "4万单位,8万单位"},
    {"利巴韦林", "lbwl", "Ribavirin", "A", 1, "片剂,颗粒,注射液", "0.1g,0.15g"},
    {"阿昔洛韦", "axlw", "Aciclovir", "A", 1, "片剂,乳膏,注射用粉针", "0.1g,0.2g,3%"},
    {"奥司他韦", "asdw", "Oseltamivir", "B", 0, "胶囊,颗粒", "75mg,25mg"},
    {"氟康唑", "fkz", "Fluconazole", "A", 1, "胶囊,片剂", "50mg,150mg"},
    {"奥美拉唑", "amlz", "Omeprazole", "A", 1, "肠溶胶囊,肠溶片,注射用粉针", "10mg,20mg,40mg"},
    {"泮托拉唑", "ptlz", "Pantoprazole", "B", 0, "肠溶片,注射用粉针", "20mg,40mg"},
    {"雷贝拉唑", "rblz", "Rabeprazole", "B", 0, "肠溶片,肠溶胶囊", "10mg,20mg"},
    {"法莫替丁", "fmtd", "Famotidine", "A", 1, "片剂,注射液", "20mg"},
    {"铝碳酸镁", "ltsm", "Hydrotalcite", "B", 1, "咀嚼片", "0.5g"},
    {"多潘立酮", "dpltt", "Domperidone", "A", 1, "片剂", "10mg"},
    {"莫沙必利", "msbl", "Mosapride", "B", 0, "片剂", "5mg"},
    {"蒙脱石散", "mtss", "Smectite", "A", 1, "散剂", "3g"},
    {"乳果糖", "rgt", "Lactulose", "A", 1, "口服溶液", "15ml,100ml"},
    {"开塞露", "ksl", "Glycerine enema", "A", 1, "灌肠剂", "20ml"},
    {"双歧杆菌三联活菌", "sqgjslhj", "Bifidobacterium triple viable", "B", 1, "胶囊,散剂", "210mg,1g"},
    {"颠茄", "dq", "Belladonna", "A", 1, "片剂", "10mg"},
    {"山莨菪碱", "sldj", "Anisodamine", "A", 1, "片剂,注射液", "5mg,10mg"},
    {"布洛芬", "blf", "Ibuprofen", "A", 1, "片剂,缓释胶囊,混悬液,颗粒", "0.1g,0.2g,0.3g"},
    {"对乙酰氨基酚", "dyxajf", "Paracetamol", "A", 1, "片剂,颗粒,混悬滴剂,口服溶液", "0.1g,0.3g,0.5g"},
    {"双氯芬酸", "slfs", "Diclofenac", "A", 1, "肠溶片,缓释片,栓剂,乳胶剂", "25mg,50mg,75mg"},
    {"塞来昔布", "slxb", "Celecoxib", "B", 0, "胶囊", "0.2g"},
    {"洛索洛芬", "lslf", "Loxoprofen", "B", 0, "片剂", "60mg"},
    {"曲马多", "qmd", "Tramadol", "B", 0, "片剂,缓释片,注射液", "50mg,100mg"},
    {"秋水仙碱", "qsxj", "Colchicine", "A", 1, "片剂", "0.5mg"},
    {"别嘌醇", "bpc", "Allopurinol", "A", 1, "片剂", "0.1g"},
    {"非布司他", "fbst", "Febuxostat", "B", 0, "片剂", "20mg,40mg"},
    {"苯溴马隆", "bxml", "Benzbromarone", "B", 0, "片剂", "50mg"},
    {"甲钴胺", "jga", "Mecobalamin", "B", 1, "片剂,注射液", "0.5mg"},
    {"维生素B1", "wssb1", "Vitamin B1", "A", 1, "片剂,注射液", "10mg,100mg"},
    {"维生素B6", "wssb6", "Vitamin B6", "A", 1, "片剂,注射液", "10mg,50mg"},
    {"维生素C", "wssc", "Vitamin C", "A", 1, "片剂,注射液", "0.1g,0.5g"},
    {"维生素D2", "wssd2", "Vitamin D2", "A", 1, "软胶囊", "5000IU,10000IU"},
    {"碳酸钙D3", "tsgd3", "Calcium carbonate and vitamin D3", "B", 1, "片剂,颗粒", "0.6g,1.5g"},
    {"叶酸", "ys", "Folic acid", "A", 1, "片剂", "0.4mg,5mg"},
    {"硫酸亚铁", "lsyt", "Ferrous sulfate", "A", 1, "片剂,缓释片", "0.3g,0.45g"},
    {"左甲状腺素", "zjzxs", "Levothyroxine", "A", 1, "片剂", "25μg,50μg,100μg"},
    {"甲巯咪唑", "jqmz", "Thiamazole", "A", 1, "片剂", "5mg,10mg"},
    {"泼尼松", "pns", "Prednisone", "A", 1, "片剂", "5mg"},
    {"地塞米松", "dsms", "Dexamethasone", "A", 1, "片剂,注射液", "0.75mg,2mg,5mg"},
    {"氢化可的松", "qhkds", "Hydrocortisone", "A", 1, "注射液,乳膏", "10mg,1%"},
    {"沙丁胺醇", "sdac", "Salbutamol", "A", 1, "气雾剂,片剂,吸入溶液", "100μg,2mg,5mg"},
    {"布地奈德", "bdnd", "Budesonide", "B", 1, "吸入粉雾剂,气雾剂,混悬液", "100μg,200μg,1mg"},
    {"布地奈德福莫特罗", "bdndfmtl", "Budesonide and formoterol", "B", 0, "吸入粉雾剂", "80/4.5μg,160/4.5μg"},
    {"沙美特罗替卡松", "smtltks", "Salmeterol and fluticasone", "B", 0, "吸入粉雾剂", "50/100μg,50/250μg"},
    {"噻托溴铵", "stxa", "Tiotropium", "B", 0, "吸入粉雾剂", "18μg"},
    {"异丙托溴铵", "ybtxa", "Ipratropium", "A", 1, "气雾剂,吸入溶液", "20μg,500μg"},
    {"氨茶碱", "acj", "Aminophylline", "A", 1, "片剂,注射液", "0.1g,0.25g"},
    {"茶碱", "cj", "Theophylline", "A", 1, "缓释片", "0.1g"},
    {"孟鲁司特", "mlst", "Montelukast", "B", 0, "片剂,咀嚼片,颗粒", "4mg,5mg,10mg"},
    {"氨溴索", "axs", "Ambroxol", "A", 1, "片剂,口服溶液,注射液", "30mg,15mg"},
    {"乙酰半胱氨酸", "yxbgas", "Acetylcysteine", "B", 1, "颗粒,泡腾片", "0.1g,0.2g,0.6g"},
    {"右美沙芬", "ymsf", "Dextromethorphan", "B", 1, "片剂,糖浆", "15mg"},
    {"复方甘草", "ffgc", "Compound liquorice", "A", 1, "片剂,口服溶液", "复方,100ml"},
    {"氯雷他定", "lltd", "Loratadine", "A", 1, "片剂,糖浆", "10mg"},
    {"西替利嗪", "xtlq", "Cetirizine", "B", 1, "片剂,滴剂", "10mg"},
    {"氯苯那敏", "lbnm", "Chlorphenamine", "A", 1, "片剂,注射液", "4mg,10mg"},
    {"地西泮", "dxp", "Diazepam", "A", 1, "片剂,注射液", "2.5mg,5mg,10mg"},
    {"艾司唑仑", "aszl", "Estazolam", "A", 1, "片剂", "1mg,2mg"},
    {"阿普唑仑", "apzl", "Alprazolam", "B", 0, "片剂", "0.4mg"},
    {"佐匹克隆", "zpkl", "Zopiclone", "B", 0, "片剂", "3.75mg,7.5mg"},
    {"舍曲林", "sql", "Sertraline", "B", 0, "片剂", "50mg"},
    {"帕罗西汀", "plxt", "Paroxetine", "B", 0, "片剂", "20mg"},
    {"氟西汀", "fxt", "Fluoxetine", "B", 0, "胶囊", "20mg"},
    {"艾司西酞普兰", "asxtpl", "Escitalopram", "B", 0, "片剂", "5mg,10mg"},
    {"利培酮", "lpt", "Risperidone", "A", 1, "片剂,口服溶液", "1mg,2mg"},
    {"奥氮平", "adp", "Olanzapine", "A", 1, "片剂", "5mg,10mg"},
    {"氯氮平", "ldp", "Clozapine", "A", 1, "片剂", "25mg,50mg"},
    {"阿立哌唑", "alpz", "Aripiprazole", "B", 1, "片剂", "5mg,10mg"},
    {"喹硫平", "kln", "Quetiapine", "B", 1, "片剂", "25mg,100mg,200mg"},
    {"碳酸锂", "tsl", "Lithium carbonate", "A", 1, "片剂,缓释片", "0.25g,0.3g"},
    {"丙戊酸钠", "bwsn", "Sodium valproate", "A", 1, "片剂,缓释片,口服溶液", "0.2g,0.5g"},
    {"卡马西平", "kmxp", "Carbamazepine", "A", 1, "片剂", "0.1g,0.2g"},
    {"苯妥英钠", "btyn", "Phenytoin", "A", 1, "片剂", "50mg,100mg"},
    {"左乙拉西坦", "zylxt", "Levetiracetam", "B", 0, "片剂", "0.25g,0.5g"},
    {"多奈哌齐", "dnpq", "Donepezil", "B", 0, "片剂", "5mg,10mg"},
    {"多巴丝肼", "dbsj", "Levodopa and benserazide", "A", 1, "片剂,胶囊", "0.25g,0.125g"},
    {"坦索罗辛", "tslx", "Tamsulosin", "B", 0, "缓释胶囊", "0.2mg"},
    {"非那雄胺", "fnxa", "Finasteride", "B", 0, "片剂", "5mg"},
    {"氯化钾", "lhj", "Potassium chloride", "A", 1, "缓释片,注射液,颗粒", "0.5g,1g,10ml"},
    {"葡萄糖", "ptt", "Glucose", "A", 1, "注射液", "5%,10%,50%"},
    {"氯化钠", "lhn", "Sodium chloride", "A", 1, "注射液", "0.9%,10%"},
    {"复方氯化钠", "fflhn", "Compound sodium chloride", "A", 1, "注射液", "500ml"},
    {"口服补液盐", "kfbyy", "Oral rehydration salts", "A", 1, "散剂", "5.125g,13.95g"},
    {"利多卡因", "ldky", "Lidocaine", "A", 1, "注射液,胶浆", "0.1g,0.2g"},
    {"肾上腺素", "ssxs", "Epinephrine", "A", 1, "注射液", "1mg"},
    {"阿托品", "atp", "Atropine", "A", 1, "注射液,片剂", "0.5mg,0.3mg"},
    {"莫匹罗星", "mplx", "Mupirocin", "B", 1, "软膏", "2%"},
    {"红霉素眼膏", "hmsyg", "Erythromycin eye ointment", "A", 1, "眼膏", "0.5%"},
    {"妥布霉素滴眼液", "tbmsdyy", "Tobramycin eye drops", "B", 1, "滴眼液", "0.3%"},
    {"左氧氟沙星滴眼液", "zyfsxdyy", "Levofloxacin eye drops", "A", 1, "滴眼液", "0.3%,0.5%"},
    {"炉甘石", "lgs", "Calamine", "A", 1, "洗剂", "100ml"},
    {"硝酸咪康唑", "xsmkz", "Miconazole", "A", 1, "乳膏,栓剂", "2%,0.2g"},
    {"复方丹参滴丸", "ffdsdw", "Compound danshen dripping pills", "A", 1, "滴丸", "27mg"},
    {"复方丹参片", "ffdsp", "Compound danshen tablets", "A", 1, "片剂", "0.32g"},
    {"麝香保心丸", "sxbxw", "Shexiang baoxin pills", "A", 1, "丸剂", "22.5mg"},
    {"速效救心丸", "sxjxw", "Suxiao jiuxin pills", "A", 1, "滴丸", "40mg"},
    {"通心络胶囊", "txljn", "Tongxinluo capsules", "B", 1, "胶囊", "0.26g"},
    {"银杏叶片", "yxyp", "Ginkgo leaf tablets", "B", 1, "片剂,胶囊", "9.6mg,19.2mg"},
    {"血塞通", "xst", "Xuesaitong", "A", 1, "片剂,软胶囊,注射用粉针", "25mg,50mg,200mg"},
    {"脑心通胶囊", "nxtjn", "Naoxintong capsules", "B", 1, "胶囊", "0.4g"},
    {"松龄血脉康胶囊", "slxmkjn", "Songling xuemaikang capsules", "B", 1, "胶囊", "0.5g"},
    {"天麻钩藤颗粒", "tmgtkl", "Tianma gouteng granules", "B", 1, "颗粒", "5g,10g"},
    {"六味地黄丸", "lwdhw", "Liuwei dihuang pills", "A", 1, "浓缩丸,水蜜丸,大蜜丸", "0.18g,2g,9g"},
    {"金匮肾气丸", "jksqw", "Jingui shenqi pills", "A", 1, "水蜜丸,大蜜丸", "4g,6g"},
    {"参芪降糖颗粒", "sqjtkl", "Shenqi jiangtang granules", "B", 1, "颗粒,胶囊", "3g,0.35g"},
    {"消渴丸", "xkw", "Xiaoke pills", "A", 1, "丸剂", "0.25g"},
    {"津力达颗粒", "jldkl", "Jinlida granules", "B", 0, "颗粒", "9g"},
    {"连花清瘟胶囊", "lhqwjn", "Lianhua qingwen capsules", "A", 1, "胶囊,颗粒", "0.35g,6g"},
    {"板蓝根颗粒", "blgkl", "Banlangen granules", "A", 1, "颗粒", "5g,10g"},
    {"感冒清热颗粒", "gmqrkl", "Ganmao qingre granules", "A", 1, "颗粒", "6g,12g"},
    {"小柴胡颗粒", "xchkl", "Xiaochaihu granules", "A", 1, "颗粒", "4g,10g"},
    {"双黄连口服液", "shlkfy", "Shuanghuanglian oral liquid", "A", 1, "口服液,颗粒", "10ml,5g"},
    {"蒲地蓝消炎片", "pdlxyp", "Pudilan xiaoyan tablets", "B", 1, "片剂,口服液", "0.3g,10ml"},
    {"藿香正气水", "hxzqs", "Huoxiang zhengqi liquid", "A", 1, "酊剂,口服液,软胶囊", "10ml,0.45g"},
    {"急支糖浆", "jztj", "Jizhi syrup", "A", 1, "糖浆", "100ml,200ml"},
    {"复方鲜竹沥液", "ffxzly", "Compound xianzhuli liquid", "A", 1, "口服液", "10ml,20ml"},
    {"通宣理肺丸", "txlfw", "Tongxuan lifei pills", "A", 1, "水蜜丸,大蜜丸", "7g,6g"},
    {"香砂养胃丸", "xsywbw", "Xiangsha yangwei pills", "A", 1, "浓缩丸,水丸", "3g,9g"},
    {"保和丸", "bhw", "Baohe pills", "A", 1, "水丸,大蜜丸", "6g,9g"},
    {"逍遥丸", "xyw", "Xiaoyao pills", "A", 1, "浓缩丸,大蜜丸", "3g,9g"},
    {"归脾丸", "gpw", "Guipi pills", "A", 1, "浓缩丸,大蜜丸", "3g,9g"},
    {"补中益气丸", "bzyqw", "Buzhong yiqi pills", "A", 1, "水丸,大蜜丸", "6g,9g"},
    {"安宫牛黄丸", "agnhw", "Angong niuhuang pills", "A", 1, "大蜜丸", "3g"},
    {"牛黄解毒片", "nhjdp", "Niuhuang jiedu tablets", "A", 1, "片剂", "0.27g"},
    {"云南白药", "ynby", "Yunnan baiyao", "A", 1, "散剂,胶囊,气雾剂", "4g,0.25g,85g"},
    {"麝香痔疮栓", "sxzcs", "Shexiang zhichuang suppositories", "B", 1, "栓剂", "1.5g"},
    {"壮骨关节丸", "zggjw", "Zhuanggu guanjie pills", "B", 0, "浓缩丸", "6g"},
    {"颈复康颗粒", "jfkkl", "Jingfukang granules", "B", 1, "颗粒", "5g"},
    {"腰痛宁胶囊", "ytnjn", "Yaotongning capsules", "B", 0, "胶囊", "0.3g"},
    {"雷公藤多苷", "lgtdg", "Tripterygium glycosides", "B", 0, "片剂", "10mg"},
    {"癃闭舒胶囊", "lbsjn", "Longbishu capsules", "B", 0, "胶囊", "0.45g"},
    {"益母草颗粒", "ymckl", "Yimucao granules", "A", 1, "颗粒,片剂", "15g,0.6g"},
    {"乌鸡白凤丸", "wjbfw", "Wuji baifeng pills", "A", 1, "大蜜丸,水蜜丸", "9g,6g"},
    {"复方甘草酸苷", "ffgcsg", "Compound glycyrrhizin", "B", 0, "片剂,注射液", "25mg,20ml"},
    {"恩替卡韦", "etkw", "Entecavir", "A", 1, "片剂,胶囊", "0.5mg,1mg"},
    {"替诺福韦", "tnfw", "Tenofovir", "B", 0, "片剂", "300mg"},
    {"异烟肼", "yyj", "Isoniazid", "A", 1, "片剂,注射液", "0.1g,0.3g"},
    {"利福平", "lfp", "Rifampicin", "A", 1, "胶囊,片剂", "0.15g,0.3g"},
    {"乙胺丁醇", "yadc", "Ethambutol", "A", 1, "片剂", "0.25g"},
    {"吡嗪酰胺", "bqxa", "Pyrazinamide", "A", 1, "片剂", "0.25g,0.5g"},
};

struct entry {
    int generic;
    char form[24], strength[24], unit[8], package[24], code[16];
    const char *insurance;
    int primary_care, village;
};

/* The dispensing unit of a dosage form. */
static const char *unit_of(const char *form)
{
    static const char *const MAP[][2] = {
        {"胶囊", "粒"}, {"栓", "粒"}, {"滴丸", "丸"}, {"丸", "丸"},   {"粉针", "瓶"},
        {"注射液", "支"}, {"干混悬剂", "袋"}, {"颗粒", "袋"}, {"散", "袋"}, {"片", "片"},
        {"吸入粉雾剂", "支"}, {"气雾剂", "瓶"}, {"眼膏", "支"}, {"膏", "支"}, {"滴眼液", "支"},
        {"胶浆", "支"}, {"乳胶剂", "支"}, {"灌肠剂", "支"}, {"吸入溶液", "支"},
    };
    for (size_t i = 0; i < sizeof MAP / sizeof MAP[0]; i++)
        if (strstr(form, MAP[i][0])) return MAP[i][1];
    return "瓶"; /* solutions, syrups, lotions, drops */
}

/* The i-th comma-separated field of list into out; 0 when there is none. */
static int field_of(const char *list, int i, char *out, size_t size)
{
    const char *p = list;
    for (; i > 0 && p; i--) {
        p = strchr(p, ',');
        if (p) p++;
    }
    if (!p || !*p) return 0;
    size_t n = strcspn(p, ",");
    if (n >= size) n = size - 1;
    memcpy(out, p, n);
    out[n] = 0;
    return 1;
}

static void package_for(struct rng *rng, const char *unit, int second, char *out, size_t size)
{
    static const int SOLID[] = {7, 12, 14, 24, 28, 30, 36, 48, 60, 100};
    static const int OTHER[] = {1, 2, 5, 6, 10, 12};
    int solid = !strcmp(unit, "片") || !strcmp(unit, "粒") || !strcmp(unit, "丸");
    int k = solid ? rng_int(rng, 0, 9) : rng_int(rng, 0, 5);
    if (second) k = solid ? (k + 3) % 10 : (k + 2) % 6;
    snprintf(out, size, "%d%s/盒", solid ? SOLID[k] : OTHER[k], unit);
}

static int generate(struct rng *rng, struct entry *out)
{
    int n = 0;
    for (int g = 0; g < (int)(sizeof GENERICS / sizeof GENERICS[0]) && n < CATALOGUE_SIZE; g++) {
        char form[24], strength[24];
        for (int f = 0; field_of(GENERICS[g].forms, f, form, sizeof form) && n < CATALOGUE_SIZE; f++)
            for (int s = 0; field_of(GENERICS[g].strengths, s, strength, sizeof strength) && n < CATALOGUE_SIZE; s++) {
                int packs = rng_chance(rng, 0.56) ? 2 : 1;
                for (int k = 0; k < packs && n < CATALOGUE_SIZE; k++) {
                    struct entry *e = &out[n];
                    e->generic = g;
                    snprintf(e->form, sizeof e->form, "%s", form);
                    snprintf(e->strength, sizeof e->strength, "%s", strength);
                    snprintf(e->unit, sizeof e->unit, "%s", unit_of(form));
                    package_for(rng, e->unit, k, e->package, sizeof e->package);
                    snprintf(e->code, sizeof e->code, "YP%05d", (n + 1) % 100000);
                    e->insurance = GENERICS[g].insurance;
                    if (!GENERICS[g].essential && !strcmp(e->insurance, "B") && rng_chance(rng, 0.1))
                        e->insurance = "none";
                    e->primary_care = rng_chance(rng, GENERICS[g].essential ? 0.7 : 0.22);
                    n++;
                }
            }
    }
    /* The village drugs: VILLAGE_DRUGS of the primary-care list, drawn without replacement;
     * the first VILLAGE_IN_VERSION_1 drawn were there already in version 1. */
    int primary[CATALOGUE_SIZE], count = 0;
    for (int i = 0; i < n; i++)
        if (out[i].primary_care) primary[count++] = i;
    for (int k = 0; k < VILLAGE_DRUGS && k < count; k++) {
        int j = rng_int(rng, k, count - 1), t = primary[k];
        primary[k] = primary[j];
        primary[j] = t;
        out[primary[k]].village = k < VILLAGE_IN_VERSION_1 ? 1 : 2;
    }
    return n;
}

static int insert_version(struct db *db, const struct entry *entries, int n, int version_number,
                          const char *published_on, const char *note)
{
    int version = store_drug_version_insert(db, published_on, 0, note);
    if (version != version_number) return -1;
    for (int i = 0; i < n; i++) {
        const struct entry *e = &entries[i];
        const struct generic *g = &GENERICS[e->generic];
        struct drug d = {e->code, g->name, g->english, g->pinyin, e->form, e->strength, e->unit,
                         e->package, e->insurance, g->essential, e->village == 1 ||
                         (e->village == 2 && version == 2), e->primary_care};
        if (store_drug_insert(db, version, &d) < 0) return -1;
    }
    return 0;
}

int demo_drugs_build(struct db *db, unsigned long seed, struct date today)
{
    struct rng rng = {seed * 0x94D049BB133111EBull + 13};
    struct entry *entries = calloc(CATALOGUE_SIZE, sizeof *entries);
    if (!entries) return -1;
    clock_t started = clock();
    int n = generate(&rng, entries), rc = -1;
    char year_ago[11], lately[11];
    date_format(date_add_days(today, -365), year_ago);
    date_format(date_add_days(today, -20), lately);
    if (insert_version(db, entries, n - NEW_IN_VERSION_2, 1, year_ago, "县域药品目录（首版）") == 0 &&
        insert_version(db, entries, n, 2, lately, "新增药品，扩大村级特殊药品目录") == 0)
        rc = 0;
    free(entries);
    if (rc == 0)
        fprintf(stderr, "[demo] drug catalogue: %d entries, 2 versions (%.2f s)\n", n,
                (double)(clock() - started) / CLOCKS_PER_SEC);
    return rc;
}

/* The first code of version 2 for a generic name and form, into code (8 bytes); 0 when none. */
static int code_of(struct db *db, const char *name, const char *form, char code[16], char strength[24])
{
    static const char SQL[] =
        "SELECT code, strength FROM drugs WHERE version = 2 AND generic_name = ?1 AND dosage_form = ?2"
        " ORDER BY code LIMIT 1";
    struct db_stmt *st = db_prepare(db, SQL);
    if (!st) return -1;
    db_bind_text(st, 1, name);
    db_bind_text(st, 2, form);
    int rc = db_step(st);
    if (rc != DB_ROW) return rc == DB_DONE ? 0 : -1;
    snprintf(code, 16, "%s", db_column_text(st, 0));
    snprintf(strength, 24, "%s", db_column_text(st, 1));
    db_step(st);
    return 1;
}

/* An item of drug (name, form) taken once or twice a day over days. */
static int add_item(struct db *db, int64_t prescription, const char *name, const char *form,
                    const char *frequency, int days)
{
    char code[16], strength[24], dose[24], label[96];
    int found = code_of(db, name, form, code, strength);
    if (found <= 0) return found;
    char *unit = NULL;
    double v = strtod(strength, &unit);
    snprintf(dose, sizeof dose, "%g", v);
    snprintf(label, sizeof label, "%s %s %s", name, strength, form);
    struct prescription_item_input in = {code, label, dose, unit && *unit ? unit : "mg",
                                         frequency, "oral", days,
                                         days * (strcmp(frequency, "bid") == 0 ? 2 : 1)};
    return store_prescription_item_insert(db, prescription, &in) < 0 ? -1 : 1;
}

static const char *const HYPERTENSION_DRUGS[][3] = {
    {"氨氯地平", "片剂", "qd"}, {"硝苯地平", "缓释片", "bid"}, {"缬沙坦", "胶囊", "qd"},
    {"厄贝沙坦", "片剂", "qd"}, {"美托洛尔", "缓释片", "qd"}, {"吲达帕胺", "缓释片", "qd"},
};
static const char *const DIABETES_DRUGS[][3] = {
    {"二甲双胍", "片剂", "bid"}, {"格列美脲", "片剂", "qd"}, {"阿卡波糖", "片剂", "tid"},
    {"格列齐特", "缓释片", "qd"},
};

int demo_prescriptions_build(struct db *db, unsigned long seed, struct date today,
                             int64_t county_hospital, int64_t city_hospital)
{
    /* The demo's follow-ups draw adherence as a trait of the patient without storing it;
     * here it is written down, mostly regular where the result was controlled. A hash of
     * the row keeps it deterministic without a draw per row. */
    static const char ADHERENCE[] =
        "UPDATE followups SET medication_adherence = CASE"
        " WHEN classification = 'controlled' THEN"
        "  CASE WHEN (id * 2654435761) % 100 < 86 THEN 'regular' ELSE 'intermittent' END"
        " ELSE CASE WHEN (id * 2654435761) % 100 < 40 THEN 'regular'"
        "  WHEN (id * 2654435761) % 100 < 85 THEN 'intermittent' ELSE 'none' END END"
        " WHERE program IN ('hypertension','diabetes','smd')";
    static const char STABLE[] =
        "SELECT f.resident_id, f.program, f.visit_date, f.staff_id, s.institution_id, r.region,"
        " r.county_code FROM followups f JOIN residents r ON r.id = f.resident_id"
        " LEFT JOIN staff s ON s.id = f.staff_id"
        " WHERE f.program IN ('hypertension','diabetes') AND f.classification = 'controlled'"
        " AND f.medication_adherence = 'regular' AND r.status = 'alive' AND f.visit_date >= ?1"
        " AND f.id = (SELECT g.id FROM followups g WHERE g.resident_id = f.resident_id"
        "  AND g.program = f.program ORDER BY g.visit_date DESC, g.id DESC LIMIT 1)"
        " ORDER BY f.resident_id, f.program";
    static const char CLINIC[] =
        "SELECT id FROM institutions WHERE kind = 'village_clinic' AND ?1 LIKE region || '%'"
        " ORDER BY id LIMIT 1";
    struct rng rng = {seed * 0xBF58476D1CE4E5B9ull + 17};
    clock_t started = clock();
    struct db_stmt *st = db_prepare(db, ADHERENCE);
    if (!st || db_run(st) != DB_DONE) return -1;
    /* The stable patients, read whole first: the inserts below reuse the connection. */
    struct stable {
        int64_t resident, staff, institution;
        char program[16], visit[11], region[16], county[7];
    } *list = NULL;
    size_t n = 0, cap = 0;
    char since[11];
    date_format(date_add_days(today, -80), since);
    if (!(st = db_prepare(db, STABLE))) return -1;
    db_bind_text(st, 1, since);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct stable *grown = realloc(list, cap * sizeof *list);
            if (!grown) {
                free(list);
                return -1;
            }
            list = grown;
        }
        struct stable *p = &list[n++];
        p->resident = db_column_int(st, 0);
        snprintf(p->program, sizeof p->program, "%s", db_column_text(st, 1));
        snprintf(p->visit, sizeof p->visit, "%s", db_column_text(st, 2));
        p->staff = db_column_int(st, 3);
        p->institution = db_column_int(st, 4);
        snprintf(p->region, sizeof p->region, "%s", db_column_text(st, 5));
        snprintf(p->county, sizeof p->county, "%s", db_column_text(st, 6));
    }
    int longs = 0, extended = 0;
    for (size_t i = 0; rc == DB_DONE && i < n; i++) {
        struct stable *p = &list[i];
        int hypertension = !strcmp(p->program, "hypertension");
        int is_extended = rng_chance(&rng, 0.04) && extended < 40;
        if (!is_extended && !rng_chance(&rng, 0.35)) continue;
        struct date visit;
        date_parse(p->visit, &visit);
        /* Written at the follow-up, or a few days after it. */
        struct date on = date_add_days(visit, rng_int(&rng, 0, 5));
        if (date_compare(on, today) > 0) on = today;
        char on_text[11], source_date[11], reference[24];
        date_format(on, on_text);
        int days = is_extended ? 28 : rng_chance(&rng, 0.5) ? 28 : 56;
        struct prescription_input in = {.resident_id = p->resident,
                                        .kind = is_extended ? "extended" : "long",
                                        .program = p->program,
                                        .prescribed_on = on_text,
                                        .prescriber_id = p->staff,
                                        .institution_id = p->institution,
                                        .days_supply = days,
                                        .catalogue_version = 2,
                                        .county_code = p->county};
        int64_t clinic = 0;
        if (is_extended) {
            in.source_institution_id = rng_chance(&rng, 0.6) ? county_hospital : city_hospital;
            date_format(date_add_days(on, -rng_int(&rng, 3, 40)), source_date);
            snprintf(reference, sizeof reference, "RX%.4s%.2s%.2s%04d", source_date, source_date + 5,
                     source_date + 8, rng_int(&rng, 1, 9999));
            in.source_reference = reference;
            in.source_prescriber = rng_chance(&rng, 0.5) ? "罗建华" : "王志明";
            in.source_date = source_date;
            in.delivery_method = rng_chance(&rng, 0.5) ? "pickup" : "courier";
            if (!strcmp(in.delivery_method, "pickup")) {
                struct db_stmt *c = db_prepare(db, CLINIC);
                if (!c) break;
                db_bind_text(c, 1, p->region);
                clinic = db_query_int(c, 0);
                if (clinic <= 0) in.delivery_method = "courier";
                in.pickup_institution_id = clinic > 0 ? clinic : 0;
            }
        }
        int64_t id = store_prescription_insert(db, &in);
        if (id < 0) {
            rc = DB_ERROR;
            break;
        }
        const char *const(*drugs)[3] = hypertension ? HYPERTENSION_DRUGS : DIABETES_DRUGS;
        int kinds = hypertension ? 6 : 4, first = rng_int(&rng, 0, kinds - 1);
        if (add_item(db, id, drugs[first][0], drugs[first][1], drugs[first][2], days) < 0 ||
            (rng_chance(&rng, 0.4) &&
             add_item(db, id, drugs[(first + 1) % kinds][0], drugs[(first + 1) % kinds][1],
                      drugs[(first + 1) % kinds][2], days) < 0)) {
            rc = DB_ERROR;
            break;
        }
        if (is_extended) {
            /* Its hospital drug off the primary-care list, and where the parcel is now. */
            if (add_item(db, id, hypertension ? "沙库巴曲缬沙坦" : "达格列净", "片剂", hypertension ? "bid" : "qd",
                         days) < 0) {
                rc = DB_ERROR;
                break;
            }
            int stage = rng_int(&rng, 0, 2);
            const char *status = !strcmp(in.delivery_method, "pickup") ? (stage ? "picked_up" : NULL)
                                 : stage == 0 ? NULL : stage == 1 ? "dispatched" : "delivered";
            char tracking[24];
            snprintf(tracking, sizeof tracking, "SF%010d", rng_int(&rng, 1, 2000000000));
            if (status && !strcmp(status, "delivered") &&
                store_prescription_delivery_set(db, id, "dispatched", tracking) < 0) {
                rc = DB_ERROR;
                break;
            }
            if (status && store_prescription_delivery_set(db, id, status,
                                                          strcmp(in.delivery_method, "courier") ? NULL : tracking) < 0) {
                rc = DB_ERROR;
                break;
            }
            extended++;
        } else {
            longs++;
        }
    }
    free(list);
    if (rc != DB_DONE) return -1;
    fprintf(stderr, "[demo] %d long and %d extended prescriptions (%.2f s)\n", longs, extended,
            (double)(clock() - started) / CLOCKS_PER_SEC);
    return 0;
}
