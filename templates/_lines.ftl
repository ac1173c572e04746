<#-- Lines shared by the message templates. Every ${...} is Markdown-escaped automatically;
     code(), quote() and url() produce safe code spans, block quotes and link targets. -->
<#macro project a><#if a.projectSlug?? || a.projectName??>
- **📦 Project**: <#if a.projectSlug??>${a.projectSlug}<#if a.projectName?? && a.projectName != a.projectSlug> (${a.projectName})</#if><#else>${a.projectName}</#if>
</#if></#macro>
<#macro env a><#if a.environment??>
- **🌍 Env**: ${a.environment}
</#if></#macro>
<#macro level a><#if a.level??>
- **🚦 Level**: ${a.level}
</#if></#macro>
<#macro location a><#if a.location??>
- **📍 Location**: ${code(a.location)}
</#if></#macro>
<#-- The tags the robot lists (dingtalk.robots[N].show-tags), in its order, those the alert has. -->
<#macro tags a robot><#list robot.showTags as key><#if (a.tags!{})[key]??>
- **🏷️ ${key}**: ${a.tags[key]}
</#if></#list></#macro>
<#macro link a label><#if a.link??>

[👉 ${label}](${url(a.link)})
</#if></#macro>
