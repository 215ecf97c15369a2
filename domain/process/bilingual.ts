/**
 * zod issues as the system answers them: every message in Chinese first, then English
 * ("中文 / English"), keyed by dotted field path — the shape react-admin shows under each input.
 * Pure (zod only), so the API, the worker and the workflow's validators all answer alike.
 */
import { z } from 'zod';

export type FieldErrors = Record<string, string>;

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ['文本', 'text'],
  number: ['数字', 'a number'],
  int: ['整数', 'an integer'],
  boolean: ['是或否', 'true or false'],
  array: ['列表', 'a list'],
  object: ['对象', 'an object'],
  record: ['对象', 'an object'],
};

/** The error map: every message in Chinese first, then English. */
export const bilingualError: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      if (iss.input === undefined || iss.input === null) return '必填 / Required';
      {
        const [zh, en] = TYPE_NAMES[iss.expected] ?? [iss.expected, iss.expected];
        return `应为${zh} / Expected ${en}`;
      }
    case 'too_small':
      if (iss.origin === 'string') return Number(iss.minimum) <= 1 ? '必填 / Required' : `至少 ${iss.minimum} 个字符 / At least ${iss.minimum} characters`;
      if (iss.origin === 'array') return `至少 ${iss.minimum} 项 / At least ${iss.minimum} items`;
      return `不能小于 ${iss.minimum} / Must be at least ${iss.minimum}`;
    case 'too_big':
      if (iss.origin === 'string') return `不能超过 ${iss.maximum} 个字符 / At most ${iss.maximum} characters`;
      if (iss.origin === 'array') return `不能超过 ${iss.maximum} 项 / At most ${iss.maximum} items`;
      return `不能大于 ${iss.maximum} / Must be at most ${iss.maximum}`;
    case 'invalid_format':
      if (iss.format === 'email') return '邮箱格式不正确 / Not a valid email address';
      return '格式不正确 / Invalid format';
    case 'invalid_value':
      return `取值应为 ${iss.values.map(String).join('、')} 之一 / Must be one of ${iss.values.map(String).join(', ')}`;
    case 'unrecognized_keys':
      return '未知字段 / Unknown field';
    default:
      return '输入有误 / Invalid value';
  }
};

/** Issues → {"a.b.0.c": message}; an unknown key is reported on its own path. First message per path wins. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  const put = (path: PropertyKey[], message: string) => {
    const key = path.length ? path.map(String).join('.') : '_root';
    if (!out[key]) out[key] = message;
  };
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) put([...issue.path, key], '未知字段 / Unknown field');
    } else {
      put(issue.path, issue.message);
    }
  }
  return out;
}
