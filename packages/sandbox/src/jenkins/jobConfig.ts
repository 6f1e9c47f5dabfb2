import type { Job } from './types.ts';

/** The class of a folder (CloudBees Folders plugin); a config.xml naming it makes a folder. */
export const FOLDER_CLASS = 'com.cloudbees.hudson.plugins.folder.Folder';

export interface ParameterDefinition {
  name: string;
  defaultValue: string;
}

/** Parses the parameter definitions a job's config.xml declares. */
export function parameterDefinitions(
  configXml: string,
): ParameterDefinition[] | undefined {
  const block = /<parameterDefinitions>([\s\S]*?)<\/parameterDefinitions>/.exec(
    configXml,
  );
  if (!block) {
    return undefined;
  }
  const defs: ParameterDefinition[] = [];
  const itemRe = /<([\w.$]+ParameterDefinition)[^>]*>([\s\S]*?)<\/\1>/g;
  for (const match of block[1].matchAll(itemRe)) {
    const name = /<name>([\s\S]*?)<\/name>/.exec(match[2])?.[1];
    const defaultValue =
      /<defaultValue>([\s\S]*?)<\/defaultValue>/.exec(match[2])?.[1] ?? '';
    if (name)
      defs.push({ name: name.trim(), defaultValue: defaultValue.trim() });
  }
  return defs;
}

export function jobClass(job: Job): string {
  if (job.folder) return FOLDER_CLASS;
  return job.configXml.includes('<flow-definition')
    ? 'org.jenkinsci.plugins.workflow.job.WorkflowJob'
    : 'hudson.model.FreeStyleProject';
}

export function buildClass(job: Job): string {
  return job.configXml.includes('<flow-definition')
    ? 'org.jenkinsci.plugins.workflow.job.WorkflowRun'
    : 'hudson.model.FreeStyleBuild';
}

/** The text of a config.xml's `<description>`, as Jenkins shows it in the job's JSON. */
export function jobDescription(configXml: string): string {
  const match = /<description>([\s\S]*?)<\/description>/.exec(configXml);
  if (!match) return '';
  return match[1]
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
