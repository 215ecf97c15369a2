/**
 * The responsibility catalog: part one of the policy document
 * (a copy at db/seeds/source/alliance-duties-and-registration-form.zh.txt, "家校社协同育人“教联体”建设工作职责"),
 * copied verbatim as data. One party type per party (the government, each of the 14 departments,
 * schools, families, sub-district communities, each of the 6 kinds of social resource units) and one
 * row per numbered duty, addressed by a stable code `<party type>.<n>` (e.g. `department.public_security.1`,
 * `school.3`). Nothing is parsed at runtime.
 */

export type PartyCategory = 'government' | 'department' | 'school' | 'family' | 'community' | 'social_resource';

export interface CatalogPartyType {
  code: string;
  category: PartyCategory;
  nameZh: string;
  nameEn: string;
  /** The duties in document order; duty n gets the code `${code}.${n}`. */
  duties: readonly string[];
}

export const PARTY_CATEGORIES: readonly PartyCategory[] = ['government', 'department', 'school', 'family', 'community', 'social_resource'];

export const CATALOG: readonly CatalogPartyType[] = [
  {
    code: "government",
    category: "government",
    nameZh: "政府",
    nameEn: "Government",
    duties: [
      "推动基础教育高质量发展，加强对家校社协同育人工作统筹领导，指导各部门协同配合，建立家庭教育指导机构，调动各类社会育人资源，为学校教育教学、家庭教育指导服务、学生健康快乐成长提供政策支持和条件保障。",
    ],
  },
  {
    code: "department.education",
    category: "department",
    nameZh: "教育部门",
    nameEn: "Education department",
    duties: [
      "推动各级各类学校开展协同育人工作，在政府的支持下与有关部门、社会资源单位协调联动，引导学校发挥主导作用和专业指导优势，强化与家庭、社会沟通协作，形成家校社协同育人合力。",
    ],
  },
  {
    code: "department.publicity",
    category: "department",
    nameZh: "宣传部门",
    nameEn: "Publicity department",
    duties: [
      "会同教育部门指导新闻媒体加强正面宣传引导，弘扬社会主义核心价值观，丰富学生精神文化生活，营造育人良好氛围。",
    ],
  },
  {
    code: "department.public_security",
    category: "department",
    nameZh: "公安部门",
    nameEn: "Public security department",
    duties: [
      "加强警校协同，联合教育部门开展护校安园、学生交通安全、防溺水、防欺凌、防诈骗、禁毒宣传等专项工作，加强校园周边治安和交通环境治理，支持学校开展安全教育，推行“校家警护学模式”、配备法治副校长、应急疏散演练等工作。",
    ],
  },
  {
    code: "department.cyberspace",
    category: "department",
    nameZh: "网信部门",
    nameEn: "Cyberspace affairs department",
    duties: [
      "开展涉未成年人网络环境专项整治工作，清理网络违法违规信息，督促网站平台履行社会责任，净化青少年网络环境。",
    ],
  },
  {
    code: "department.health",
    category: "department",
    nameZh: "卫生健康部门",
    nameEn: "Health department",
    duties: [
      "会同教育部门做好儿童青少年健康服务，支持医务人员担任中小学校健康副校长。配合教育部门指导学校开展健康教育、监测预警、咨询服务、干预处置等，健全学生心理健康服务体系，普及健康素养。",
    ],
  },
  {
    code: "department.civil_affairs",
    category: "department",
    nameZh: "民政部门",
    nameEn: "Civil affairs department",
    duties: [
      "加强对困境儿童、留守儿童、流动儿童的关心关爱。",
    ],
  },
  {
    code: "department.culture_tourism",
    category: "department",
    nameZh: "文化和旅游部门",
    nameEn: "Culture and tourism department",
    duties: [
      "利用文化和旅游资源、非物质文化遗产资源等开展实践育人活动，开展少儿阅读推广工作，为学生观演观展提供便利条件。引导社会创作寓教于乐、弘扬中华优秀传统文化的优秀儿童文艺作品，推动优秀作品的普及推广。",
    ],
  },
  {
    code: "department.science",
    category: "department",
    nameZh: "科技部门、科协",
    nameEn: "Science and technology department and science association",
    duties: [
      "统筹各类科普阵地和资源，支持学校开展科学教育，培养学生科学精神，提高科学素养。",
    ],
  },
  {
    code: "department.housing",
    category: "department",
    nameZh: "住房城乡建设部门",
    nameEn: "Housing and urban-rural development department",
    duties: [
      "会同教育部门建立学校校舍、场馆建筑定期安全体检制度，在标准、技术等方面提供支持。",
    ],
  },
  {
    code: "department.fire_rescue",
    category: "department",
    nameZh: "消防救援部门",
    nameEn: "Fire and rescue department",
    duties: [
      "会同教育部门指导学校开展消防安全检查及消防安全宣传教育培训，指导学校开展应急消防安全疏散演练。",
    ],
  },
  {
    code: "department.market_regulation",
    category: "department",
    nameZh: "市场监管部门",
    nameEn: "Market regulation department",
    duties: [
      "对校外培训机构、学校周边食品和学生用品安全进行监督检查。",
    ],
  },
  {
    code: "department.womens_federation",
    category: "department",
    nameZh: "妇联组织",
    nameEn: "Women's federation",
    duties: [
      "加强家庭教育指导服务站点建设，宣传普及家庭教育知识，提供家庭教育指导服务。",
    ],
  },
  {
    code: "department.youth_league",
    category: "department",
    nameZh: "共青团组织",
    nameEn: "Communist Youth League",
    duties: [
      "加强学校共青团、少先队组织以及属地街道、社区团队组织的联动，发挥团、队组织在思想政治引领、服务凝聚青少年中的重要作用。",
    ],
  },
  {
    code: "department.next_generation",
    category: "department",
    nameZh: "关工委组织",
    nameEn: "Committee for the Well-being of the Younger Generation",
    duties: [
      "发挥“五老”作用，参与思想政治教育、法治宣传教育、家庭教育指导等工作。",
    ],
  },
  {
    code: "school",
    category: "school",
    nameZh: "学校",
    nameEn: "School",
    duties: [
      "把做好家庭教育指导服务作为重要职责，纳入学校工作计划，将教师家庭教育指导水平与绩效纳入教师考评体系。",
      "建立健全学校家庭教育指导委员会、家长学校和家长委员会，落实家长会、家访、学校开放日、家长接待日等制度，密切与家长沟通联系，定期组织家庭教育指导服务和实践活动。",
      "听取家长、社会对学校的意见建议，及时改进教育教学和学校管理工作。",
      "建立相对稳定的思政课实践教学基地、社会实践教育基地和资源目录清单，联合开发思政教育、社会实践、劳动教育等项目。",
      "整合社会资源，丰富学校课堂和课后服务内容，满足学生多样化需求。",
      "学校文体场馆、图书馆等在周末、节假日期间有序面向社区、家长及学生开放。组织教师为社区开展公益性家庭教育指导服务活动提供支持。",
    ],
  },
  {
    code: "family",
    category: "family",
    nameZh: "家庭",
    nameEn: "Family",
    duties: [
      "家长履行家庭教育主体责任，用正确思想、方法和行为教育未成年人养成良好思想、品行和习惯。",
      "注重家庭建设，培育积极健康的家庭文化，树立和传承优良家风，弘扬中华民族家庭美德，构建文明和睦的家庭关系，营造良好的家庭环境。",
      "树立科学的教育理念，注重培养子女良好思想品德、行为习惯和健康身心。掌握正确家庭教育方法，多陪伴多关爱，多引导多鼓励，多提醒多帮助，构建和谐亲子关系。",
      "主动协同学校教育，积极参加学校组织的家庭教育指导和家校互动活动，主动参与家长委员会开展的有关工作。",
      "带领或支持子女开展体育锻炼、家务劳动、户外活动和参观游览，引导子女积极参加社会实践活动。",
    ],
  },
  {
    code: "community",
    category: "community",
    nameZh: "街道社区",
    nameEn: "Sub-district and community",
    duties: [
      "将家庭教育指导纳入城乡社区公共服务重要内容，加强资源、经费、场地、设施等条件保障。",
      "利用社区家长学校开展家庭教育指导。",
      "面向中小学生开展符合学生年龄特点、形式多样、寓教于乐的各类知识宣讲和公益性课外实践活动，创造条件为学生提供校外活动与锻炼空间、假期管护场所等。",
    ],
  },
  {
    code: "social_resource.patriotic_education_base",
    category: "social_resource",
    nameZh: "爱国主义教育基地",
    nameEn: "Patriotic education base",
    duties: [
      "面向中小学生开展爱国主义教育、红色教育，结合场馆资源设计开发符合学生特点的课程和项目，为学校开展思政课实践教学、综合实践活动等提供条件保障。",
    ],
  },
  {
    code: "social_resource.sports_venue",
    category: "social_resource",
    nameZh: "体育场馆",
    nameEn: "Sports venue",
    duties: [
      "为学校组织体育教学、学生开展体育锻炼提供场地、设施设备、专业指导等方面支持。",
    ],
  },
  {
    code: "social_resource.cultural_venue",
    category: "social_resource",
    nameZh: "文化场馆、博物馆、科技馆、科普基地、美术馆、文艺院团、少年宫、儿童活动中心、消防救援站等校外活动场所",
    nameEn: "Cultural venue, museum, science centre or other out-of-school activity site",
    duties: [
      "设计开发内容丰富、适合学生特点的文化艺术和科普活动、展览项目、剧(节)目、科学教育实践资源等，为学生开通绿色通道和预约服务。",
    ],
  },
  {
    code: "social_resource.medical_institution",
    category: "social_resource",
    nameZh: "医疗卫生机构",
    nameEn: "Medical and health institution",
    duties: [
      "针对行政区域内儿童青少年主要健康问题，加强眼保健、心理保健、口腔保健等专科建设，提供预防保健和诊疗服务。在教育部门和卫生健康部门指导下，学校与精神卫生医疗机构、妇幼保健机构等建立健全协同机制，共同开展学生心理健康宣传教育，并畅通预防转介干预就医通道，及时转介、诊断、治疗。",
    ],
  },
  {
    code: "social_resource.university",
    category: "social_resource",
    nameZh: "周边高校",
    nameEn: "Nearby university",
    duties: [
      "参与大中小学思政课一体化改革创新，利用高校资源开展课后服务、科学教育等，开展学生心理健康咨询服务，高校的体育场馆和图书馆等文体场馆有序向中小学生开放。",
    ],
  },
  {
    code: "social_resource.enterprise",
    category: "social_resource",
    nameZh: "周边企业、街道及相关社会资源单位等",
    nameEn: "Nearby enterprise, sub-district or other social resource unit",
    duties: [
      "参与学校课程开发和课后服务，服务学生发展。",
    ],
  },
];
